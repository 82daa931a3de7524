import { ChangeFeed } from '../core/events/change-feed.ts';
import { ChangeStreamProcessor } from '../adapters/dynamodb/change-stream-processor.ts';
import { CHANGE_MAPPERS, ITEM_DECODERS } from '../adapters/dynamodb/event-sources.ts';
import { StreamCounters } from '../adapters/dynamodb/run-task-counters.ts';
import { StreamChanges } from '../adapters/dynamodb/stream-changes.ts';
import { slice } from './stepwise.ts';

/** The change-stream consumer (functions/event-stream): it reads the stream's images, never the table, and adds the counter moves they show. */
export const changeStreamOf = slice(
  (stepwise): ChangeStreamProcessor =>
    new ChangeStreamProcessor({
      changes: new StreamChanges(ITEM_DECODERS),
      feed: new ChangeFeed(CHANGE_MAPPERS),
      publisher: stepwise.platform.publisher(),
      counters: new StreamCounters(stepwise.db, stepwise.table),
      logger: stepwise.logger,
    }),
);
