import { pipelineOptions } from '../adapters/container.ts';
import { insightService } from '../adapters/insight-wiring.ts';
import { httpHandler } from '../http/pipeline.ts';
import { insightOperations } from './operations.ts';

/** Insight: FlowCtl's `/metrics` and CloudFlow's workflow analytics (docs/api.md#insight). */
export const handler = httpHandler('insight', insightOperations(insightService), pipelineOptions());
