import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/chat.ts';

/** Chat: Behflow's plain-language task assistant (docs/api.md#chat). */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/ChatFunction'));
