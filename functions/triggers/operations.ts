import { paginationView } from '../core/pagination.ts';
import type { TriggerService } from '../core/triggers/trigger-service.ts';
import { idempotencyKeyOf } from '../core/idempotency/idempotency.ts';
import { runStarted } from '../executions/operations.ts';
import { RunStartedSchema } from '../executions/schemas.ts';
import { operation, publicOperation, type Operation } from '../http/operation.ts';
import { IdPath, PagingQuery, toPageRequest } from '../shared/schemas.ts';
import { hookUrl, publicBaseUrl } from './hook-url.ts';
import { HookBody, HookPath, ProcessListSchema, WebhookTokenSchema, processView } from './schemas.ts';

export interface TriggerApiDeps {
  triggers: TriggerService;
  publicBaseUrl: string | undefined;
}

export function triggerOperations(deps: () => TriggerApiDeps): Record<string, Operation> {
  return {
    runWebhook: publicOperation(
      {
        params: HookPath,
        body: HookBody,
        response: RunStartedSchema,
        status: 202,
        headers: ['Location'],
        errors: [404, 409],
        description:
          'Webhook trigger: the token in the path is the credential. Starts a run with the JSON body as input (trigger `webhook`); a wrong, rotated or other workflow’s token is 404. Idempotency-Key (or Standard Webhooks’ webhook-id) dedupes retried deliveries.',
      },
      async ({ params, body, headers }) => {
        // Standard Webhooks senders keep `webhook-id` across their retries: as good as an Idempotency-Key.
        const key = idempotencyKeyOf(headers) ?? idempotencyKeyOf({ 'idempotency-key': headers['webhook-id'] ?? '' });
        return runStarted(await deps().triggers.fireWebhook(params.workflow_id, params.token, body, key));
      },
    ),

    rotateWebhookToken: operation(
      { params: IdPath, response: WebhookTokenSchema, status: 201, description: 'A new webhook token for a webhook-triggered workflow; the previous URL stops working at once. The URL is shown only here.' },
      async ({ principal, params, headers }) => {
        const { workflow, token } = await deps().triggers.rotateWebhookToken(principal, params.id);
        const webhook_url = hookUrl(publicBaseUrl(deps().publicBaseUrl, headers), workflow.id, token);
        return { status: 201, body: { workflow_id: workflow.id, webhook_url, token, message: 'Store this URL now: it is not shown again' } };
      },
    ),

    listProcesses: operation(
      { query: PagingQuery, response: ProcessListSchema, description: 'Behflow’s automated processes: every workflow with its trigger and last execution, paginated.' },
      async ({ principal, query }) => {
        const page = toPageRequest(query);
        const result = await deps().triggers.processes(principal, page);
        const data = result.items.map(processView);
        return { status: 200, body: { data, processes: data, pagination: paginationView(result, page) } };
      },
    ),
  };
}
