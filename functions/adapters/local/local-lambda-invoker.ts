import { nonRetryable } from '../../core/runner/errors.ts';
import type { LambdaInvoker } from '../../core/runner/ports.ts';

/** Local mode has no AWS credentials or functions to call; saying so beats a confusing SDK error. */
export class LocalLambdaInvoker implements LambdaInvoker {
  async invoke(functionArn: string): Promise<unknown> {
    throw nonRetryable(`lambda nodes need AWS: local mode cannot invoke ${functionArn}`);
  }
}
