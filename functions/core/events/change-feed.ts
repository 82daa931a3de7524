/**
 * Domain events are derived from committed changes (the table's change stream), not published by
 * the code that makes them: a write that committed always yields its events, and no repository or
 * service knows events exist. This module is the pure half: entity changes in, envelopes out.
 */
import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';
import type { BusEventType, PublishedEvent } from './catalog.ts';

/** One committed change of one stored entity, as domain objects (never table items). */
export interface EntityChange<T = unknown> {
  /** The item's `entity` (`task`, `workflow`, `execution`, `run_task`, `execution_log`, …). */
  readonly entity: string;
  /**
   * Identifies the change itself (the stream record's eventID): a re-delivered change has the
   * same one, so its events get the same ids and consumers can drop the duplicate.
   */
  readonly changeId: string;
  /** When the change was recorded (ISO), for events whose entity carries no better time (deletions). */
  readonly at: string;
  readonly accountId: string;
  /** Absent on creation. */
  readonly old?: T | undefined;
  /** Absent on deletion. */
  readonly new?: T | undefined;
}

/** What a mapper says happened; the feed adds the envelope (id, account). */
export interface EventDraft {
  readonly event: BusEventType;
  /** When it happened; defaults to the change's time. */
  readonly timestamp?: string | null | undefined;
  readonly data: Record<string, unknown>;
}

/**
 * Turns one entity's changes into events. Mappers are registered per entity with the ChangeFeed
 * that uses them (functions/adapters/dynamodb/event-sources.ts lists them), so a feature adds its own
 * entity's mapper in its own file. A change that means nothing to subscribers maps to `[]`.
 */
export interface ChangeMapper<T = unknown> {
  readonly entity: string;
  // Method syntax on purpose: a ChangeMapper<Task> then fits a list of ChangeMapper<unknown>.
  map(change: EntityChange<T>): readonly EventDraft[];
}

export class ChangeFeed {
  private readonly mappers = new Map<string, ChangeMapper>();

  constructor(mappers: readonly ChangeMapper[]) {
    for (const mapper of mappers) {
      if (this.mappers.has(mapper.entity)) throw new Error(`Two change mappers for entity '${mapper.entity}'`);
      this.mappers.set(mapper.entity, mapper);
    }
  }

  /** Entities this feed maps; any other entity's change yields no events. */
  get entities(): string[] {
    return [...this.mappers.keys()];
  }

  eventsOf(change: EntityChange): PublishedEvent[] {
    const mapper = this.mappers.get(change.entity);
    if (!mapper) return [];
    return mapper.map(change).map((draft) => {
      const timestamp = draft.timestamp ?? change.at;
      return { id: eventId(change.changeId, draft.event, timestamp), event: draft.event, timestamp, account_id: change.accountId, data: draft.data };
    });
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `evt_` + a ULID whose time is the event's and whose 80 "random" bits are a hash of the change id
 * and the event name: ids sort by time like every other id, a re-delivered change gets the same
 * id, and one change's several events (workflow.completed and pipeline.completed) get distinct ones.
 */
export function eventId(changeId: string, event: string, timestamp: string): string {
  const ms = Math.min(Math.max(0, Date.parse(timestamp) || 0), 281_474_976_710_655);
  const digest = createHash('sha256').update(`${changeId}\u0000${event}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 10)) bits = (bits << 8n) | BigInt(byte);
  let random = '';
  for (let i = 0; i < 16; i += 1) {
    random = CROCKFORD[Number(bits & 31n)] + random;
    bits >>= 5n;
  }
  return `evt_${encodeTime(ms, 10)}${random}`;
}
