import { isEventType, type DomainEvent } from '../events/catalog.ts';
import type { QueueMessage } from './ports.ts';

export class MalformedMessage extends Error {
  constructor(reason: string) {
    super(`malformed delivery-queue message: ${reason}`);
    this.name = 'MalformedMessage';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a queue message body: Stepwise's own messages (`kind`), or an EventBridge event as the
 * bus rule delivers it to SQS (`detail-type` + `detail` = the domain event envelope).
 */
export function parseQueueMessage(body: string): QueueMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedMessage('not JSON');
  }
  if (!isRecord(value)) throw new MalformedMessage('not an object');
  if ('detail-type' in value && 'detail' in value) return { kind: 'event', event: domainEvent(value.detail) };
  switch (value.kind) {
    case 'event':
      return { kind: 'event', event: domainEvent(value.event) };
    case 'sweep':
      return { kind: 'sweep' };
    case 'attempt': {
      const { account_id, webhook_id, delivery_id, attempt } = value;
      if (typeof account_id !== 'string' || typeof webhook_id !== 'string' || typeof delivery_id !== 'string' || !Number.isInteger(attempt) || (attempt as number) < 1) {
        throw new MalformedMessage('attempt needs account_id, webhook_id, delivery_id and a positive attempt');
      }
      return { kind: 'attempt', account_id, webhook_id, delivery_id, attempt: attempt as number };
    }
    default:
      throw new MalformedMessage(`unknown kind ${JSON.stringify(value.kind)}`);
  }
}

function domainEvent(value: unknown): DomainEvent {
  if (!isRecord(value)) throw new MalformedMessage('the event is not an object');
  const { id, event, timestamp, account_id, data } = value;
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof account_id !== 'string' || !isRecord(data)) {
    throw new MalformedMessage('the event needs id, timestamp, account_id and data');
  }
  if (typeof event !== 'string' || !isEventType(event)) throw new MalformedMessage(`unknown event type ${JSON.stringify(event)}`);
  return { id, event, timestamp, account_id, data };
}
