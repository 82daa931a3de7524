import type { InsightService } from '../core/insight/insight-service.ts';
import { operation, type Operation } from '../http/operation.ts';
import { IdPath } from '../shared/schemas.ts';
import { AnalyticsQuery, MetricsSchema, WorkflowAnalyticsSchema, analyticsView, metricsView } from './schemas.ts';

export function insightOperations(service: () => InsightService): Record<string, Operation> {
  return {
    getMetrics: operation(
      { response: MetricsSchema, description: 'FlowCtl metrics for the caller’s account, read from counters kept on every write (never a scan).' },
      async ({ principal }) => ({ status: 200, body: metricsView(await service().metrics(principal)) }),
    ),
    getWorkflowAnalytics: operation(
      { params: IdPath, query: AnalyticsQuery, response: WorkflowAnalyticsSchema, description: 'CloudFlow workflow analytics from 5-minute, hourly and daily rollups kept as executions finish.' },
      async ({ principal, params, query }) => ({ status: 200, body: analyticsView(await service().workflowAnalytics(principal, params.id, query.period), query.metrics) }),
    ),
  };
}
