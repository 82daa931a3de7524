import type { LambdaClient } from '@aws-sdk/client-lambda';
import { cancelled, nonRetryable, retryable, type RunnerFailure } from '../../core/runner/errors.ts';
import type { LambdaInvoker } from '../../core/runner/ports.ts';

/** Lambda's answers that mean "not now" rather than "never": throttling, capacity, a function still starting. */
const TRANSIENT = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'ServiceException',
  'EC2ThrottledException',
  'EC2UnexpectedException',
  'ENILimitReachedException',
  'ResourceConflictException',
  'ResourceNotReadyException',
  'SnapStartNotReadyException',
  'SnapStartTimeoutException',
  'TimeoutError',
]);

/**
 * Invokes a user's function synchronously for lambda nodes. The client comes from a factory so the
 * Lambda SDK is only loaded by runs that have a lambda node.
 */
export class AwsLambdaInvoker implements LambdaInvoker {
  constructor(private readonly client: () => Promise<LambdaClient>) {}

  async invoke(functionArn: string, payload: unknown, signal?: AbortSignal): Promise<unknown> {
    const [client, { InvokeCommand }] = await Promise.all([this.client(), import('@aws-sdk/client-lambda')]);
    let response;
    try {
      response = await client.send(
        new InvokeCommand({
          FunctionName: functionArn,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify(payload ?? null)),
        }),
        signal ? { abortSignal: signal } : {},
      );
    } catch (error) {
      throw classifySdkError(error, signal);
    }
    const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
    const result = parse(text);
    if (response.FunctionError) {
      // The function ran and threw (or timed out): running it again would most likely do the same.
      const e = (result ?? {}) as { errorType?: unknown; errorMessage?: unknown };
      const type = typeof e.errorType === 'string' ? e.errorType : response.FunctionError;
      const message = typeof e.errorMessage === 'string' ? e.errorMessage : 'no error message';
      throw nonRetryable(`Lambda function failed: ${type}: ${message}`, { function_error: response.FunctionError, error_type: type });
    }
    return result;
  }
}

function parse(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function classifySdkError(error: unknown, signal?: AbortSignal): RunnerFailure {
  const e = (error ?? {}) as { name?: unknown; message?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  if (signal?.aborted || name === 'AbortError') return cancelled('the Lambda invocation was aborted');
  const status = e.$metadata?.httpStatusCode;
  const message = `Lambda invoke failed: ${name}: ${typeof e.message === 'string' ? e.message : String(error)}`;
  const details = { error: name, ...(status === undefined ? {} : { status_code: status }) };
  // No HTTP status means the call never got an answer (network, credentials): worth another attempt.
  const transient = TRANSIENT.has(name) || e.$retryable !== undefined || status === undefined || status >= 500 || status === 429;
  return transient ? retryable(message, details) : nonRetryable(message, details);
}
