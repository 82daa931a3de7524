import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ChangeEventPublisher } from './constructs/change-event-publisher.ts';
import { LiveUpdates } from './constructs/live-updates.ts';
import { WebhookDelivery } from './constructs/webhook-delivery.ts';
import { WorkflowTriggers } from './constructs/workflow-triggers.ts';
import type { StageConfig } from './stage-config.ts';

export interface EventsStackProps extends StackProps {
  readonly config: StageConfig;
  /** The table (lib/data-stack.ts): the source of every domain event. */
  readonly table: ITable;
  /** Its stream's ARN as a weak reference (DataStack.tableStreamArn), so the data stack may replace the stream. */
  readonly tableStreamArn: string;
  /** The stage's domain event bus (lib/workflow-stack.ts). */
  readonly bus: IEventBus;
  /** The public JWKS (lib/data-stack.ts): live updates' `$connect` verifies access tokens with it. */
  readonly jwksSecret: ISecret;
}

/**
 * Domain events: how they are made (change data capture from the table) and what consumes them.
 * The constructor is a list of features, each one construct that takes what it needs from
 * `config`, `table` and `bus`; webhook delivery, event triggers and live updates go next to the first.
 */
export class EventsStack extends Stack {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly bus: IEventBus;
  /** Table stream → event-stream function → bus. */
  readonly changeEvents: ChangeEventPublisher;
  /** Bus → SQS → webhook dispatcher → signed POSTs, with retries, sweep and dead letters. */
  readonly webhooks: WebhookDelivery;
  /** Schedule group + scheduled-run target, and bus → trigger dispatcher for event triggers. */
  readonly triggers: WorkflowTriggers;
  /** WebSocket API for live execution updates, and bus → notifier → its connections. */
  readonly live: LiveUpdates;
  readonly outputs: Readonly<Record<'changeEventFailuresQueueUrl', CfnOutput>>;

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    this.config = props.config;
    this.table = props.table;
    this.bus = props.bus;

    // The change stream's consumer sees the table through an import whose stream ARN is the weak reference.
    const streamTable = Table.fromTableAttributes(this, 'StreamTable', { tableArn: props.table.tableArn, tableStreamArn: props.tableStreamArn });
    this.changeEvents = new ChangeEventPublisher(this, 'ChangeEvents', { config: this.config, table: streamTable, bus: this.bus });
    this.webhooks = new WebhookDelivery(this, 'Webhooks', { config: this.config, table: this.table, bus: this.bus });
    this.triggers = new WorkflowTriggers(this, 'Triggers', { config: this.config, table: this.table, bus: this.bus });
    this.live = new LiveUpdates(this, 'Live', { config: this.config, table: this.table, bus: this.bus, jwksSecret: props.jwksSecret });

    this.outputs = {
      // Where stream records land after every retry failed: what an operator replays.
      changeEventFailuresQueueUrl: new CfnOutput(this, 'ChangeEventFailuresQueueUrl', { value: this.changeEvents.failures.queueUrl }),
    };
  }
}
