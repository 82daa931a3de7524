import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/tasks.ts';

/** Tasks API: AstraFlow + Behflow task CRUD, filters and pagination. */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/TasksFunction'));
