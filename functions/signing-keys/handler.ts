import { parseRotationConfig, RotationEventSchema, signingKeyRotationFor } from '../adapters/aws/signing-key-rotation.ts';
import { createJsonLogger } from '../adapters/logging/json-logger.ts';

// Cold start: bad configuration fails here, and the SDK client is built once per container.
const config = parseRotationConfig(process.env);
// Its own small configuration: this function holds the signing keys and nothing of the API (lib/constructs/signing-keys.ts).
const rotation = signingKeyRotationFor(config, createJsonLogger(config.LOG_LEVEL));

/** Invoked by Secrets Manager once per rotation step (createSecret, setSecret, testSecret, finishSecret). */
export const handler = async (event: unknown): Promise<void> => rotation.rotate(RotationEventSchema.parse(event));
