import { validationError } from '../core/errors.ts';
import { paginationView } from '../core/pagination.ts';
import type { WebhookService } from '../core/webhooks/webhook-service.ts';
import { parseIfMatch } from '../http/headers.ts';
import { operation, type Operation } from '../http/operation.ts';
import { IdPath, PagingQuery, toPageRequest } from '../shared/schemas.ts';
import {
  CreateWebhookBody,
  DeliveryListSchema,
  DeliveryPath,
  DeliverySchema,
  deliveryView,
  ListDeliveriesQuery,
  UpdateWebhookBody,
  WebhookListSchema,
  WebhookSchema,
  webhookView,
} from './schemas.ts';

const etag = (version: number) => ({ ETag: `"${version}"` });

function expectedVersion(headers: Record<string, string>, bodyVersion: number | undefined): number | undefined {
  const header = parseIfMatch(headers['if-match']);
  if (header === 'invalid') throw validationError('If-Match', 'If-Match must be a version number such as "3"');
  if (header !== undefined && bodyVersion !== undefined && header !== bodyVersion) throw validationError('version', 'The body version disagrees with If-Match');
  return header ?? bodyVersion;
}

/** Webhooks API (AstraFlow, FlowCtl, CloudFlow): subscriptions, the delivery log, replays and test pings. */
export function webhookOperations(webhooks: () => WebhookService): Record<string, Operation> {
  return {
    listWebhooks: operation({ query: PagingQuery, response: WebhookListSchema }, async ({ principal, query }) => {
      const page = toPageRequest(query);
      const result = await webhooks().list(principal, page);
      return { status: 200, body: { data: result.items.map((w) => webhookView(w)), pagination: paginationView(result, page) } };
    }),

    createWebhook: operation(
      { body: CreateWebhookBody, response: WebhookSchema, status: 201, headers: ['ETag', 'Location'], description: 'The response carries the signing secret; it is never shown again.' },
      async ({ principal, body }) => {
        const { event, events, ...rest } = body;
        const { webhook, secret } = await webhooks().create(principal, { ...rest, events: events ?? [event!] });
        return { status: 201, body: webhookView(webhook, secret), headers: { ...etag(webhook.version), Location: `/api/v1/webhooks/${webhook.id}` } };
      },
    ),

    getWebhook: operation({ params: IdPath, response: WebhookSchema, headers: ['ETag'] }, async ({ principal, params }) => {
      const webhook = await webhooks().get(principal, params.id);
      return { status: 200, body: webhookView(webhook), headers: etag(webhook.version) };
    }),

    patchWebhook: operation(
      { params: IdPath, body: UpdateWebhookBody, response: WebhookSchema, headers: ['ETag'], ifMatch: true, description: 'Change url, events, description or enabled; rotate or replace the secret. Send If-Match (or version) to fail on a stale copy.' },
      async ({ principal, params, body, headers }) => {
        const { version, event, events, rotate_secret, ...rest } = body;
        const changes = { ...rest, events: events ?? (event !== undefined ? [event] : undefined), rotateSecret: rotate_secret };
        const { webhook, secret } = await webhooks().update(principal, params.id, changes, expectedVersion(headers, version));
        return { status: 200, body: webhookView(webhook, secret), headers: etag(webhook.version) };
      },
    ),

    deleteWebhook: operation({ params: IdPath, status: 204, ifMatch: true }, async ({ principal, params, headers }) => {
      await webhooks().delete(principal, params.id, expectedVersion(headers, undefined));
      return { status: 204 };
    }),

    listWebhookDeliveries: operation(
      { params: IdPath, query: ListDeliveriesQuery, response: DeliveryListSchema, description: 'Deliveries newest first, each with its attempts (status code, latency, response excerpt, next retry).' },
      async ({ principal, params, query }) => {
        const page = toPageRequest(query);
        const result = await webhooks().deliveries(principal, params.id, { status: query.status }, page);
        return { status: 200, body: { data: result.items.map(deliveryView), pagination: paginationView(result, page) } };
      },
    ),

    retryWebhookDelivery: operation(
      { params: DeliveryPath, response: DeliverySchema, status: 202, description: 'Send the delivery again now (same body and webhook-id) as a fresh cycle of the retry schedule; works on dead-lettered deliveries.' },
      async ({ principal, params }) => {
        const delivery = await webhooks().retry(principal, params.id, params.delivery_id);
        return { status: 202, body: deliveryView(delivery) };
      },
    ),

    testWebhook: operation(
      { params: IdPath, response: DeliverySchema, status: 202, headers: ['Location'], description: 'Send a signed `webhook.test` ping now, once; follow it in the deliveries list.' },
      async ({ principal, params }) => {
        const delivery = await webhooks().test(principal, params.id);
        return { status: 202, body: deliveryView(delivery), headers: { Location: `/api/v1/webhooks/${params.id}/deliveries` } };
      },
    ),
  };
}
