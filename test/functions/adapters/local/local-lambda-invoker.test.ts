import { describe, expect, it } from 'vitest';
import { RUNNER_ERRORS } from '../../../../statemachines/task-runner-contract.ts';
import { LocalLambdaInvoker } from '../../../../functions/adapters/local/local-lambda-invoker.ts';

describe('LocalLambdaInvoker', () => {
  it('refuses non-retryably, naming the function', async () => {
    const arn = 'arn:aws:lambda:us-east-1:111122223333:function:enrich';
    await expect(new LocalLambdaInvoker().invoke(arn)).rejects.toMatchObject({
      name: RUNNER_ERRORS.nonRetryable,
      retryable: false,
      message: `lambda nodes need AWS: local mode cannot invoke ${arn}`,
    });
  });
});
