import { WebhookDispatcher } from '../core/webhooks/dispatcher.ts';
import { WebhookService } from '../core/webhooks/webhook-service.ts';
import { DynamoDeliveryRepository } from '../adapters/dynamodb/delivery-repository.ts';
import { DynamoWebhookRepository } from '../adapters/dynamodb/webhook-repository.ts';
import { dnsHostResolver } from '../adapters/net/host-resolver.ts';
import { GuardedHttpClient } from '../adapters/net/guarded-http-client.ts';
import { slice } from './stepwise.ts';

/**
 * Outbound webhooks: the webhooks API and the dispatcher (the webhook-dispatcher Lambda on AWS, the
 * local server's in-process queue locally). Each is built on first use: the API never needs the
 * HTTP client, the dispatcher never the resolver.
 */
export interface Webhooks {
  readonly service: WebhookService;
  readonly dispatcher: WebhookDispatcher;
}

export const webhooksOf = slice((stepwise): Webhooks => {
  const { db, table, platform } = stepwise;
  const { network } = platform;
  const webhooks = new DynamoWebhookRepository(db, table);
  const deliveries = new DynamoDeliveryRepository(db, table);
  let queue: ReturnType<typeof platform.deliveryQueue> | undefined;
  const deliveryQueue = () => (queue ??= platform.deliveryQueue());
  let service: WebhookService | undefined;
  let dispatcher: WebhookDispatcher | undefined;
  return {
    get service() {
      service ??= new WebhookService({
        webhooks,
        deliveries,
        queue: deliveryQueue(),
        // AWS stages: https to public addresses only. Local: http too, and loopback receivers.
        urlRules: { requireHttps: network.requireHttps, allowLoopback: network.allowLoopback, reservedLoopbackPorts: network.reservedPorts },
        resolve: dnsHostResolver(),
        clock: stepwise.clock,
      });
      return service;
    },
    get dispatcher() {
      dispatcher ??= new WebhookDispatcher({
        webhooks,
        deliveries,
        queue: deliveryQueue(),
        // Redirects are not followed: a 3xx is a failed attempt, as receivers expect from Standard Webhooks senders.
        http: new GuardedHttpClient({ policy: { allowLoopback: network.allowLoopback, reservedLoopbackPorts: network.reservedPorts }, maxRedirects: 0 }),
        clock: stepwise.clock,
        logger: stepwise.logger,
        options: { timeScale: platform.timeScale },
      });
      return dispatcher;
    },
  };
});
