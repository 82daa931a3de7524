import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { workflowResourceOperations } from '../../workflows/operations.ts';
import { dataSourcesOf } from '../data-sources.ts';
import { emailTemplatesOf } from '../email.ts';
import type { Stepwise } from '../stepwise.ts';
import { workflowsOf } from '../workflows.ts';
import { pipelineOf } from '../identity.ts';
/** The workflows function's handler over one Stepwise (its Lambda: functions/workflows/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('workflows', workflowResourceOperations(() => workflowsOf(stepwise), () => emailTemplatesOf(stepwise), () => dataSourcesOf(stepwise)), pipelineOf(stepwise));
}
