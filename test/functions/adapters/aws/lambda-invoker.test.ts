import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RUNNER_ERRORS } from '../../../../statemachines/task-runner-contract.ts';
import { AwsLambdaInvoker, classifySdkError } from '../../../../functions/adapters/aws/lambda-invoker.ts';
import { RUNNER_CANCELLED, RunnerFailure } from '../../../../functions/core/runner/errors.ts';

const lambda = mockClient(LambdaClient);
const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:enrich';
const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }), ...extra });

function invoker() {
  const factory = vi.fn(async () => new LambdaClient({ region: 'us-east-1' }));
  return { invoker: new AwsLambdaInvoker(factory), factory };
}

async function failure(promise: Promise<unknown>): Promise<RunnerFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RunnerFailure);
  return error as RunnerFailure;
}

beforeEach(() => lambda.reset());

describe('AwsLambdaInvoker', () => {
  it('invokes synchronously with the JSON payload and returns the parsed result', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes({ enriched: true }) as never });
    const { invoker: subject, factory } = invoker();
    expect(factory).not.toHaveBeenCalled();
    const result = await subject.invoke(ARN, { id: 42, name: 'Ada' });
    expect(result).toEqual({ enriched: true });
    expect(factory).toHaveBeenCalledTimes(1);
    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({ FunctionName: ARN, InvocationType: 'RequestResponse', Payload: bytes({ id: 42, name: 'Ada' }) });
  });

  it('passes the abort signal to the SDK', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes('null') as never });
    const send = vi.spyOn(LambdaClient.prototype, 'send');
    const controller = new AbortController();
    await invoker().invoker.invoke(ARN, {}, controller.signal);
    expect(send.mock.calls[0]?.[1]).toEqual({ abortSignal: controller.signal });
    send.mockRestore();
  });

  it('returns null for an empty result and text for a non-JSON one', async () => {
    lambda.on(InvokeCommand).resolvesOnce({ StatusCode: 200 }).resolvesOnce({ StatusCode: 200, Payload: bytes('plain text') as never });
    const { invoker: subject } = invoker();
    expect(await subject.invoke(ARN, undefined)).toBeNull();
    expect(await subject.invoke(ARN, undefined)).toBe('plain text');
    expect(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.Payload).toEqual(bytes('null'));
  });

  it('a function error is non-retryable and carries its message', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: bytes({ errorType: 'TypeError', errorMessage: "Cannot read properties of undefined (reading 'id')", trace: [] }) as never,
    });
    const error = await failure(invoker().invoker.invoke(ARN, {}));
    expect(error).toMatchObject({
      name: RUNNER_ERRORS.nonRetryable,
      retryable: false,
      message: "Lambda function failed: TypeError: Cannot read properties of undefined (reading 'id')",
      details: { function_error: 'Unhandled', error_type: 'TypeError' },
    });
  });

  it.each([
    ['TooManyRequestsException', 429, RUNNER_ERRORS.retryable],
    ['ServiceException', 500, RUNNER_ERRORS.retryable],
    ['ResourceNotReadyException', 502, RUNNER_ERRORS.retryable],
    ['EC2ThrottledException', 502, RUNNER_ERRORS.retryable],
    ['SomethingNew', 503, RUNNER_ERRORS.retryable],
    ['ResourceNotFoundException', 404, RUNNER_ERRORS.nonRetryable],
    ['AccessDeniedException', 403, RUNNER_ERRORS.nonRetryable],
    ['InvalidRequestContentException', 400, RUNNER_ERRORS.nonRetryable],
    ['RequestTooLargeException', 413, RUNNER_ERRORS.nonRetryable],
  ])('SDK error %s (%i) → %s', async (name, status, expected) => {
    lambda.on(InvokeCommand).rejects(sdkError(name, status));
    const error = await failure(invoker().invoker.invoke(ARN, {}));
    expect(error).toMatchObject({ name: expected, message: `Lambda invoke failed: ${name}: ${name} happened`, details: { error: name, status_code: status } });
  });

  it('network errors without an HTTP answer are retryable', () => {
    expect(classifySdkError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).name).toBe(RUNNER_ERRORS.retryable);
    expect(classifySdkError(sdkError('TimeoutError')).name).toBe(RUNNER_ERRORS.retryable);
  });

  it('an aborted call is a cancellation', () => {
    expect(classifySdkError(sdkError('AbortError')).name).toBe(RUNNER_CANCELLED);
    expect(classifySdkError(new Error('x'), AbortSignal.abort()).name).toBe(RUNNER_CANCELLED);
  });
});
