import { createHandler } from '../root/handlers/signing-keys.ts';

/** Invoked by Secrets Manager once per rotation step (createSecret, setSecret, testSecret, finishSecret). */
// Cold start: the rotation's configuration is checked here, before the first step.
export const handler = createHandler(process.env);
