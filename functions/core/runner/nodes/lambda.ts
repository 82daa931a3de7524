import { nonRetryable } from '../errors.ts';
import { executed, recordsOf, toJson, type NodeExecutor } from './run.ts';

/** `lambda`: templates resolved here, then the function invoked; its JSON result is the output. */
export const lambda: NodeExecutor = {
  async execute(run) {
    const functionArn = run.params.function_arn;
    if (typeof functionArn !== 'string') throw nonRetryable('lambda needs a function_arn');
    // Handlers usually destructure their event, so "no payload" is an empty object rather than null.
    const payload = run.params.payload === undefined ? {} : await run.templates.resolve(run.params.payload, 'payload');
    run.log('info', 'Lambda invoke', { function_arn: functionArn });
    const output = toJson(await run.deps.lambda.invoke(functionArn, payload, run.ctx.signal));
    run.log('info', 'Lambda invoke successful', { function_arn: functionArn });
    return executed(output, undefined, recordsOf(output));
  },
};
