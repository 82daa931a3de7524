import { Aws, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule, type EventPattern, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALL_DOMAIN_EVENTS, type BusPattern } from '../definitions/event-patterns.ts';
import { stageNames } from '../definitions/names.ts';
import type { StageConfig } from '../stage-config.ts';
import { grantTableAccess } from '../table-access.ts';
import { StepwiseFunction } from './stepwise-function.ts';

/**
 * Fixed, so the webhooks API (lib/api-stack.ts) can name the queue — to enqueue replays and test
 * pings — without a reference to this stack (the way machine policies name the task runner).
 */
export const webhookQueueName = (config: StageConfig): string => stageNames(config.stage).webhookQueueName;

/** The queue's URL and ARN from its fixed name, for functions outside this construct. */
export function webhookQueueAddress(scope: Construct, config: StageConfig): { url: string; arn: string } {
  const stack = Stack.of(scope);
  const name = webhookQueueName(config);
  return {
    url: `https://sqs.${Aws.REGION}.${Aws.URL_SUFFIX}/${Aws.ACCOUNT_ID}/${name}`,
    arn: stack.formatArn({ service: 'sqs', resource: name }),
  };
}

/** The dispatcher's own limit: an attempt is ≤ 15 s and a fan-out runs ≤ 25 at once, so a batch finishes well inside it. */
export const DISPATCHER_TIMEOUT = Duration.seconds(60);
/** How often overdue deliveries (their message lost) are swept back onto the queue. */
export const SWEEP_RATE = Duration.minutes(5);

export interface WebhookDeliveryProps {
  readonly config: StageConfig;
  readonly table: ITable;
  /** The stage's domain event bus. */
  readonly bus: IEventBus;
  /**
   * Dispatcher invocations the queue may run at once (the SQS event source's maximum concurrency).
   * It bounds the load on the table and on receivers without reserving account concurrency.
   */
  readonly maxConcurrency?: number;
}

/**
 * Signed, at-least-once webhook delivery: a rule sends every domain event on the bus to an SQS
 * queue; the dispatcher Lambda fans each out to the account's subscribed webhooks, records a
 * delivery per (event, webhook) and attempts it. Retries are messages on the same queue, delayed
 * up to SQS's 15 minutes and hopped again until due; a 5-minute sweep re-enqueues any delivery
 * whose message was lost. Messages that keep failing land in the dead-letter queue.
 */
export class WebhookDelivery extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly dispatcher: StepwiseFunction;
  readonly eventsRule: Rule;
  readonly sweepRule: Rule;
  /** `WebhookDeadLettersQueueUrl`: messages that failed five receives, for an operator to redrive. */
  readonly deadLettersOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    const { config, table, bus } = props;

    // Itself the delivery queue's redrive target (cdk-nag knows it as one: no SQS3 finding to acknowledge).
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.queue = new Queue(this, 'Queue', {
      queueName: webhookQueueName(config),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda consumers: six times the function timeout, so a slow batch is not redelivered while running.
      visibilityTimeout: Duration.seconds(DISPATCHER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 5 },
    });

    this.dispatcher = new StepwiseFunction(this, 'Dispatcher', {
      config,
      entry: 'functions/webhook-dispatcher/handler.ts',
      description: `Stepwise ${config.stage}: delivers signed webhooks (fan-out, attempts, retries)`,
      environment: { TABLE_NAME: table.tableName, WEBHOOK_QUEUE_URL: this.queue.queueUrl },
      timeout: DISPATCHER_TIMEOUT,
    });
    grantTableAccess(table, this.dispatcher, 'read-write');
    // Retries and hops go back onto the same queue.
    this.queue.grantSendMessages(this.dispatcher);
    this.dispatcher.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Not reserved concurrency: throttled SQS receives count towards maxReceiveCount and would
        // dead-letter healthy messages; the event source's own limit only slows polling.
        maxConcurrency: props.maxConcurrency ?? 10,
      }),
    );

    this.eventsRule = new Rule(this, 'EventsRule', {
      description: `Stepwise ${config.stage}: every domain event to webhook delivery`,
      eventBus: bus,
      eventPattern: eventPattern(ALL_DOMAIN_EVENTS),
      targets: [new SqsQueue(this.queue, { deadLetterQueue: this.deadLetters, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });

    this.sweepRule = new Rule(this, 'SweepRule', {
      description: `Stepwise ${config.stage}: re-enqueue overdue webhook deliveries`,
      schedule: Schedule.rate(SWEEP_RATE),
      targets: [new SqsQueue(this.queue, { message: RuleTargetInput.fromObject({ kind: 'sweep' }) })],
    });

    this.deadLettersOutput = new CfnOutput(this, 'DeadLettersQueueUrl', {
      description: 'Webhook delivery messages that failed five receives; redrive them to the delivery queue once the cause is fixed',
      value: this.deadLetters.queueUrl,
    });
    // A plain name in `cdk deploy --outputs-file`, like the stack's own outputs.
    this.deadLettersOutput.overrideLogicalId('WebhookDeadLettersQueueUrl');
  }

  /** Lets another function enqueue (the webhooks API's replays and test pings). */
  grantEnqueue(grantee: iam.IGrantable): void {
    this.queue.grantSendMessages(grantee);
  }
}

/** The shared pattern in CDK's mutable spelling. */
function eventPattern(pattern: BusPattern): EventPattern {
  return {
    source: [...pattern.source],
    ...(pattern.detailType ? { detailType: [...pattern.detailType] } : {}),
    ...(pattern.detail ? { detail: { ...pattern.detail } } : {}),
  };
}
