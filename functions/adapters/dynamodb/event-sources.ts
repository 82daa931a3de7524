import type { ChangeMapper } from '../../core/events/change-feed.ts';
import { CORE_CHANGE_MAPPERS } from '../../core/events/change-mappers.ts';
import { approvalChanges } from '../../core/approvals/change-mapper.ts';
import { webhookChanges } from '../../core/webhooks/change-mapper.ts';
import { approvalFromItem } from './approval-store.ts';
import { CORE_ITEM_DECODERS, type ItemDecoder } from './stream-changes.ts';
import { webhookFromItem } from './webhook-items.ts';

/**
 * The entities whose changes become events: each needs an item decoder (table item → domain
 * object, adapter side) and a change mapper (domain change → events, pure). A feature adds its
 * entity by appending its pair here and its entity name to EVENT_SOURCE_ENTITIES in
 * lib/definitions/change-stream.ts (the event source filter); nothing else changes.
 */
export const ITEM_DECODERS: readonly ItemDecoder[] = [...CORE_ITEM_DECODERS, { entity: 'webhook', decode: webhookFromItem }, { entity: 'approval', decode: approvalFromItem }];
export const CHANGE_MAPPERS: readonly ChangeMapper[] = [...CORE_CHANGE_MAPPERS, webhookChanges, approvalChanges];
