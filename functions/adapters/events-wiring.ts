import type { EventPublisher } from '../core/events/catalog.ts';
import { ChangeFeed, type ChangeMapper } from '../core/events/change-feed.ts';
import { CORE_CHANGE_MAPPERS } from '../core/events/change-mappers.ts';
import { ChangeStreamProcessor } from '../event-stream/processor.ts';
import { createLogger } from '../http/logger.ts';
import { parseConfig, type Config } from './config.ts';
import { CORE_ITEM_DECODERS, StreamChanges, type ItemDecoder } from './dynamodb/stream-changes.ts';
import { lazy } from './lazy.ts';
import { localBus } from './local/bus-registry.ts';
import { webhookChanges } from '../core/webhooks/change-mapper.ts';
import { webhookFromItem } from './dynamodb/webhook-repository.ts';

/**
 * The entities whose changes become events: each needs an item decoder (table item → domain
 * object, adapter side) and a change mapper (domain change → events, pure). A feature adds its
 * entity by appending its pair here and its entity name to EVENT_SOURCE_ENTITIES in
 * lib/definitions/change-stream.ts (the event source filter); nothing else changes.
 */
export const ITEM_DECODERS: readonly ItemDecoder[] = [...CORE_ITEM_DECODERS, { entity: 'webhook', decode: webhookFromItem }];
export const CHANGE_MAPPERS: readonly ChangeMapper[] = [...CORE_CHANGE_MAPPERS, webhookChanges];

let processor: ChangeStreamProcessor | undefined;

/** The change-stream consumer (functions/event-stream), built once per container. */
export function eventStreamProcessor(): ChangeStreamProcessor {
  if (!processor) {
    // Configuration only: this function reads the stream's images, never the table.
    const config = parseConfig(process.env);
    processor = new ChangeStreamProcessor({
      changes: new StreamChanges(ITEM_DECODERS),
      feed: new ChangeFeed(CHANGE_MAPPERS),
      publisher: eventPublisher(config),
      logger: createLogger(config.LOG_LEVEL),
    });
  }
  return processor;
}

/**
 * EventBridge's custom bus on AWS (SDK loaded on first publish); the bus the local server
 * registers in local mode, resolved per call because it is registered after this module loads.
 */
export function eventPublisher(config: Config): EventPublisher {
  if (config.STEPWISE_MODE === 'local') return { publish: (events) => localBus().publish(events) };
  const eventBusName = config.EVENT_BUS_NAME;
  if (!eventBusName) throw new Error('EVENT_BUS_NAME is required to publish domain events');
  const client = lazy(async () => new (await import('@aws-sdk/client-eventbridge')).EventBridgeClient({ region: config.AWS_REGION }));
  const load = lazy(async () => new (await import('./aws/eventbridge-publisher.ts')).EventBridgePublisher(client, { eventBusName }));
  return { publish: async (events) => (await load()).publish(events) };
}
