import { parseRotationConfig, RotationEventSchema, signingKeyRotationFor } from '../adapters/aws/signing-key-rotation.ts';
import { createLogger } from '../http/logger.ts';

// Cold start: bad configuration fails here, and the SDK client is built once per container.
const config = parseRotationConfig(process.env);
const log = createLogger(config.LOG_LEVEL);
const rotation = signingKeyRotationFor(config, (level, message, fields) => log[level](message, fields));

/** Invoked by Secrets Manager once per rotation step (createSecret, setSecret, testSecret, finishSecret). */
export const handler = async (event: unknown): Promise<void> => rotation.rotate(RotationEventSchema.parse(event));
