/**
 * The table's change stream as an event source, defined once: CDK filters the Lambda event
 * source mapping with these entities (lib/events-stack.ts) and local mode's stream poller
 * (functions/adapters/local/local-table-stream.ts) applies the same filter.
 * Pure data: no CDK or SDK imports.
 */

/**
 * Items (by their `entity` attribute) whose changes can become domain events. Counters, sessions,
 * rate-limit windows, idempotency claims and the like never reach the consumer. A new entity here
 * needs an item decoder (functions/adapters/dynamodb/stream-changes.ts) and a change mapper
 * (functions/core/events/change-feed.ts) registered in functions/adapters/dynamodb/event-sources.ts.
 */
export const EVENT_SOURCE_ENTITIES = ['task', 'workflow', 'execution', 'run_task', 'execution_log', 'webhook', 'approval'] as const;

/**
 * Items whose status changes move the account's run-task and workers counters
 * (functions/adapters/dynamodb/run-task-counters.ts): a run's task items and its map iterations.
 */
export const COUNTED_ENTITIES = ['run_task', 'run_iteration'] as const;

/** Every entity the stream consumer is given: those that become events and those that are counted. */
export const STREAM_ENTITIES: readonly string[] = [...new Set<string>([...EVENT_SOURCE_ENTITIES, ...COUNTED_ENTITIES])];

/** Where the entity sits in a stream record: the new image (insert, modify) or the old one (remove). */
export const STREAM_IMAGES = ['NewImage', 'OldImage'] as const;

/** True when the record's new or old image belongs to one of `entities` (the event source filter's meaning). */
export function isEventSourceRecord(
  record: { dynamodb?: { NewImage?: Record<string, { S?: string }>; OldImage?: Record<string, { S?: string }> } },
  entities: readonly string[] = STREAM_ENTITIES,
): boolean {
  return STREAM_IMAGES.some((image) => {
    const entity = record.dynamodb?.[image]?.entity?.S;
    return entity !== undefined && entities.includes(entity);
  });
}

/**
 * How often a failing batch is retried before its records are given up on (then, on AWS, their
 * positions go to the on-failure queue; locally they are logged). With bisection on AWS the
 * failing record is isolated within these attempts.
 */
export const CHANGE_STREAM_RETRY_ATTEMPTS = 10;

/** Records per handler invocation (the event source mapping's batch size, and the local poller's). */
export const CHANGE_STREAM_BATCH_SIZE = 100;
