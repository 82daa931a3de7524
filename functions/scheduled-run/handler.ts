import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/scheduled-run.ts';
export type { ScheduledRunEvent } from './event.ts';

/** A schedule trigger fired: the workflow's run, keyed by the slot (functions/root/handlers/scheduled-run.ts). */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Events/Triggers/ScheduledRun'));
