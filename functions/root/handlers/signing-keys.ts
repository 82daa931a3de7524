import { parseRotationConfig, RotationEventSchema, signingKeyRotationFor } from '../../adapters/aws/signing-key-rotation.ts';
import { createJsonLogger } from '../../adapters/logging/json-logger.ts';

/**
 * The signing-key rotation over its own small configuration: this function holds the signing keys
 * and nothing of the API (lib/constructs/signing-keys.ts), so it builds no Stepwise. Bad
 * configuration fails here, at cold start, and the SDK client is built once per container.
 */
export function createHandler(env: Readonly<Record<string, string | undefined>>): (event: unknown) => Promise<void> {
  const config = parseRotationConfig(env);
  const rotation = signingKeyRotationFor(config, createJsonLogger(config.LOG_LEVEL));
  return async (event) => rotation.rotate(RotationEventSchema.parse(event));
}
