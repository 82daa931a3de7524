import type { ChangeMapper } from '../events/change-feed.ts';
import type { Webhook } from './webhook.ts';

/**
 * The domain events a change of a webhook item stands for. One today: `webhook.disabled`, when
 * Stepwise itself disabled an enabled endpoint (410 Gone, or failing for 5 days); the owner who
 * disables one by hand already knows. Derived from the committed change (not published by the
 * dispatcher), so the event exists exactly when the disable does. The secret never leaves: `data`
 * names the endpoint and why, nothing else.
 */
export const webhookChanges: ChangeMapper<Webhook> = {
  entity: 'webhook',
  map({ old, new: next }) {
    if (!old?.enabled || !next || next.enabled) return [];
    if (next.disabledReason !== 'gone' && next.disabledReason !== 'failing') return [];
    const at = next.disabledAt ?? next.updatedAt;
    return [
      {
        event: 'webhook.disabled',
        timestamp: at,
        data: {
          webhook_id: next.id,
          url: next.url,
          events: [...next.events],
          reason: next.disabledReason,
          disabled_at: at,
          failing_since: old.failingSince ?? next.failingSince,
        },
      },
    ];
  },
};
