import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { taskOperations } from '../../tasks/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { executionsOf } from '../executions.ts';
import { pipelineOf } from '../identity.ts';
/** The tasks function's handler over one Stepwise (its Lambda: functions/tasks/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('tasks', taskOperations(() => stepwise.tasks, () => executionsOf(stepwise).executions), pipelineOf(stepwise));
}
