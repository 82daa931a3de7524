import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/insight.ts';

/** Insight: FlowCtl's `/metrics` and CloudFlow's workflow analytics (docs/api.md#insight). */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/InsightFunction'));
