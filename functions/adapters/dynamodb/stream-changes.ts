import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { EntityChange } from '../../core/events/change-feed.ts';
import type { StoredRunTask } from '../../core/events/change-mappers.ts';
import { executionFromItem, logFromItem, runTaskFromItem } from './execution-items.ts';
import { keys } from './keys.ts';
import { taskFromItem } from './task-repository.ts';
import { workflowFromItem } from './workflow-repository.ts';

type Item = Record<string, unknown>;

/**
 * Turns a stored item of one entity back into its domain object, with the same conversion its
 * repository reads with. Registered per entity like change mappers (functions/adapters/dynamodb/event-sources.ts).
 */
export interface ItemDecoder<T = unknown> {
  readonly entity: string;
  decode(item: Item): T;
}

export const CORE_ITEM_DECODERS: readonly ItemDecoder[] = [
  { entity: 'task', decode: taskFromItem },
  { entity: 'workflow', decode: workflowFromItem },
  { entity: 'execution', decode: executionFromItem },
  { entity: 'run_task', decode: (item): StoredRunTask => ({ ...runTaskFromItem(item), mapped: item.mapped === true }) },
  { entity: 'execution_log', decode: logFromItem },
];

/** Who deletes items whose TTL passed; such a removal is housekeeping, not a user's deletion. */
const TTL_PRINCIPAL = 'dynamodb.amazonaws.com';
const ACCOUNT_PREFIX = keys.accountPrefix('');

/**
 * A DynamoDB stream record (Lambda's shape, which local mode's poller builds too) → the entity
 * change it stands for, or undefined when it stands for nothing a subscriber cares about: items of
 * entities without a decoder (counters, sessions, rate-limit windows, …), global items, and TTL expiry.
 */
export class StreamChanges {
  private readonly decoders = new Map<string, ItemDecoder>();

  constructor(decoders: readonly ItemDecoder[]) {
    for (const decoder of decoders) {
      if (this.decoders.has(decoder.entity)) throw new Error(`Two item decoders for entity '${decoder.entity}'`);
      this.decoders.set(decoder.entity, decoder);
    }
  }

  get entities(): string[] {
    return [...this.decoders.keys()];
  }

  changeOf(record: DynamoDBRecord): EntityChange | undefined {
    if (record.userIdentity?.type === 'Service' && record.userIdentity.principalId === TTL_PRINCIPAL) return undefined;
    const stream = record.dynamodb;
    const newItem = stream?.NewImage ? fromImage(stream.NewImage) : undefined;
    const oldItem = stream?.OldImage ? fromImage(stream.OldImage) : undefined;
    const entity = String((newItem ?? oldItem)?.entity ?? '');
    const decoder = this.decoders.get(entity);
    const pk = String((newItem ?? oldItem)?.pk ?? '');
    if (!decoder || !pk.startsWith(ACCOUNT_PREFIX)) return undefined;
    return {
      entity,
      changeId: record.eventID ?? `${record.eventSourceARN ?? ''}#${stream?.SequenceNumber ?? ''}`,
      // Seconds since the epoch in Lambda's records; every record carries it.
      at: new Date((stream?.ApproximateCreationDateTime ?? 0) * 1000).toISOString(),
      accountId: pk.slice(ACCOUNT_PREFIX.length),
      ...(oldItem && oldItem.entity === entity ? { old: decoder.decode(oldItem) } : {}),
      ...(newItem ? { new: decoder.decode(newItem) } : {}),
    };
  }
}

/** Lambda delivers images as JSON, so binary values arrive base64-encoded; the SDK's unmarshall wants bytes. */
export function fromImage(image: Record<string, AttributeValue>): Item {
  return unmarshall(Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toSdk(value)])));
}

function toSdk(value: AttributeValue): SdkAttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B, 'base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b, 'base64')) };
  if (value.L !== undefined) return { L: value.L.map(toSdk) };
  if (value.M !== undefined) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, toSdk(v)])) };
  return value as SdkAttributeValue;
}
