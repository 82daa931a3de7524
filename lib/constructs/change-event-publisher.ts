import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHANGE_STREAM_BATCH_SIZE, CHANGE_STREAM_RETRY_ATTEMPTS, STREAM_ENTITIES, STREAM_IMAGES } from '../definitions/change-stream.ts';
import type { StageConfig } from '../stage-config.ts';
import { StepwiseFunction } from './stepwise-function.ts';

export interface ChangeEventPublisherProps {
  readonly config: StageConfig;
  /** The table, with its stream (lib/data-stack.ts). */
  readonly table: ITable;
  readonly bus: IEventBus;
}

/**
 * Change data capture: the table's stream → the event-stream function → domain events on the bus.
 * A committed write always yields its events: the stream keeps records 24 hours, a failing batch is
 * retried from the record the function reports and bisected to isolate a bad record, and what still
 * fails lands in an SQS queue (the record's stream position, to replay by hand) instead of
 * blocking its shard. The function may read the stream, put events on this bus and add to the
 * account counters the changes move (UpdateItem on the table), nothing else.
 */
export class ChangeEventPublisher extends Construct {
  readonly function: StepwiseFunction;
  readonly source: DynamoEventSource;
  /** Positions of records given up on after every retry (the event source's on-failure destination). */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: ChangeEventPublisherProps) {
    super(scope, id);
    const { config, table, bus } = props;

    this.function = new StepwiseFunction(this, 'EventStream', {
      config,
      entry: 'functions/event-stream/handler.ts',
      description: `Stepwise ${config.stage}: turns table changes into domain events on the bus`,
      // The bus (events:publish) and the counters (table:count-changes): it reads the stream's images, never the table's items.
      environment: { EVENT_BUS_NAME: bus.eventBusName, TABLE_NAME: table.tableName },
    });

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the change-stream event source: it receives the stream positions of records that failed every retry and bisection, for an operator to replay, so a second dead-letter queue behind it would hold nothing.',
    });

    // Only items that can become events or move counters wake the function; counters, sessions and the like never do.
    // Inserts and updates carry the entity in the new image, removals only in the old one.
    const filters = STREAM_IMAGES.map((image) => FilterCriteria.filter({ dynamodb: { [image]: { entity: { S: FilterRule.or(...STREAM_ENTITIES) } } } }));
    this.source = new DynamoEventSource(table, {
      // From the oldest record kept: changes committed before the mapping existed (first deploy) are still told.
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: CHANGE_STREAM_BATCH_SIZE,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: CHANGE_STREAM_RETRY_ATTEMPTS,
      // The stream keeps a record 24 hours; older than that it is gone anyway.
      maxRecordAge: Duration.hours(24),
      onFailure: new SqsDlq(this.failures),
      filters,
    });
    this.function.function.addEventSource(this.source);
    bus.grantPutEventsTo(this.function);
    // UpdateItem only: the counter ADDs (functions/adapters/dynamodb/run-task-counters.ts, StreamCounters).
    iam.Grant.addToPrincipal({ grantee: this.function, actions: ['dynamodb:UpdateItem'], resourceArns: [table.tableArn] });

    // DynamoEventSource grants the stream reads on the stream itself, plus ListStreams, which it can only grant on "*".
    const defaultPolicy = this.function.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only dynamodb:ListStreams is granted on "*": Lambda’s DynamoDB event source mapping needs it and the action has no resource-level permissions; the stream reads themselves (DescribeStream, GetRecords, GetShardIterator) are scoped to this table’s stream ARN.',
      });
    }
  }
}
