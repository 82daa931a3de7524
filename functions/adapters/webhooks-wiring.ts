import { systemClock } from '../core/clock.ts';
import type { DeliveryQueue } from '../core/webhooks/ports.ts';
import { WebhookDispatcher } from '../core/webhooks/dispatcher.ts';
import { WebhookService } from '../core/webhooks/webhook-service.ts';
import { createLogger } from '../http/logger.ts';
import type { Config } from './config.ts';
import { container } from './container.ts';
import { DynamoDeliveryRepository, DynamoWebhookRepository } from './dynamodb/webhook-repository.ts';
import { lazy } from './lazy.ts';
import { localWebhookQueue } from './local/webhook-queue-registry.ts';
import { dnsHostResolver } from './net/host-resolver.ts';
import { GuardedHttpClient } from './net/guarded-http-client.ts';

/**
 * Outbound webhooks: the webhooks API and the dispatcher (the webhook-dispatcher Lambda in AWS, the
 * local server's in-process queue locally) share this wiring. The queue is SQS in AWS (SDK loaded
 * on first use) and the in-process queue the local server registers in local mode.
 */
export interface WebhookWiring {
  readonly service: WebhookService;
  readonly dispatcher: WebhookDispatcher;
}

let wiring: WebhookWiring | undefined;

export function webhookDeps(): WebhookWiring {
  if (!wiring) {
    const { config, db } = container();
    const local = config.STEPWISE_MODE === 'local';
    const webhooks = new DynamoWebhookRepository(db, config.TABLE_NAME);
    const deliveries = new DynamoDeliveryRepository(db, config.TABLE_NAME);
    const queue = queueFor(config);
    let service: WebhookService | undefined;
    let dispatcher: WebhookDispatcher | undefined;
    // Each built on first use: the API never needs the HTTP client, the dispatcher never the resolver.
    wiring = {
      get service() {
        service ??= new WebhookService({
          webhooks,
          deliveries,
          queue,
          // AWS stages: https to public addresses only. Local: http too, and loopback receivers.
          urlRules: { requireHttps: !local, allowLoopback: local, reservedLoopbackPorts: config.reservedPorts },
          resolve: dnsHostResolver(),
          clock: systemClock,
        });
        return service;
      },
      get dispatcher() {
        dispatcher ??= new WebhookDispatcher({
          webhooks,
          deliveries,
          queue,
          // Redirects are not followed: a 3xx is a failed attempt, as receivers expect from Standard Webhooks senders.
          http: new GuardedHttpClient({ policy: { allowLoopback: local, reservedLoopbackPorts: config.reservedPorts }, maxRedirects: 0 }),
          clock: systemClock,
          logger: createLogger(config.LOG_LEVEL),
          options: { timeScale: local ? localWebhookQueue().timeScale : 1 },
        });
        return dispatcher;
      },
    };
  }
  return wiring;
}

function queueFor(config: Config): DeliveryQueue {
  if (config.STEPWISE_MODE === 'local') {
    // Resolved per call: the local server registers its queue before serving, after this module loads.
    return { send: (messages) => localWebhookQueue().queue.send(messages) };
  }
  const url = config.WEBHOOK_QUEUE_URL;
  const load = lazy(async () => {
    if (!url) throw new Error('WEBHOOK_QUEUE_URL is required to enqueue webhook deliveries');
    const [{ SQSClient }, { SqsDeliveryQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('./aws/sqs-delivery-queue.ts')]);
    const client = new SQSClient({ region: config.AWS_REGION, maxAttempts: 5 });
    return new SqsDeliveryQueue(async () => client, url);
  });
  return { send: async (messages) => (await load()).send(messages) };
}
