import type { DeliveryQueue } from '../../core/webhooks/ports.ts';

/**
 * Local mode's webhook delivery queue is created by the local server (attachLocalWebhooks in
 * local-webhooks.ts) and handed to the webhooks API and the dispatcher through here, so Lambda
 * bundles never include the in-process queue.
 */
let registered: { queue: DeliveryQueue; timeScale: number } | undefined;

export function registerLocalWebhookQueue(value: { queue: DeliveryQueue; timeScale: number } | undefined): void {
  registered = value;
}

export function localWebhookQueue(): { queue: DeliveryQueue; timeScale: number } {
  if (!registered) throw new Error('No local webhook queue is registered: local mode attaches one in startLocalStepwise() (attachLocalWebhooks)');
  return registered;
}
