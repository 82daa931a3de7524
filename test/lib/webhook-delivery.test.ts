import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebhookDelivery, webhookQueueName } from '../../lib/constructs/webhook-delivery.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { actionsOf, allActions, logicalId, resource, resources, skipBuiltinValidation, statementsForRole, type Statement } from './helpers.ts';

const config = stageConfig('dev');

describe('WebhookDelivery', () => {
  let template: Template;
  let delivery: WebhookDelivery;
  let bus: EventBus;

  beforeAll(() => {
    skipBuiltinValidation();
    const app = new App();
    const stack = new Stack(app, 'WebhookDeliveryTest');
    const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING }, sortKey: { name: 'sk', type: AttributeType.STRING } });
    bus = new EventBus(stack, 'Bus');
    delivery = new WebhookDelivery(stack, 'Webhooks', { config, table, bus });
    template = Template.fromStack(stack);
  }, 120_000);
  afterAll(() => vi.unstubAllEnvs());

  const queueId = () => logicalId(delivery.queue);
  const dlqId = () => logicalId(delivery.deadLetters);
  const fnId = () => logicalId(delivery.dispatcher.function);
  const statements = (): Statement[] => statementsForRole(template, logicalId(delivery.dispatcher.role));

  it('queues deliveries under a fixed name, encrypted, TLS-only, dead-lettering after 5 receives', () => {
    expect(resource(template, 'AWS::SQS::Queue', queueId()).Properties).toEqual({
      QueueName: webhookQueueName(config),
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(webhookQueueName(config)).toBe('stepwise-dev-webhook-deliveries');
    expect(resource(template, 'AWS::SQS::Queue', dlqId()).Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    for (const policy of Object.values(resources(template, 'AWS::SQS::QueuePolicy'))) {
      expect((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toEqual(
        expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      );
    }
  });

  it('runs the dispatcher from the queue: batches of 10, partial-batch failures, bounded concurrency (not reserved)', () => {
    const mapping = Object.values(resources(template, 'AWS::Lambda::EventSourceMapping'))[0]!.Properties;
    expect(mapping).toEqual({
      FunctionName: { Ref: fnId() },
      EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    const fn = resource(template, 'AWS::Lambda::Function', fnId()).Properties;
    expect(fn).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 60 });
    expect(fn).not.toHaveProperty('ReservedConcurrentExecutions');
    const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toMatchObject({ STEPWISE_MODE: 'aws', WEBHOOK_QUEUE_URL: { Ref: queueId() }, TABLE_NAME: { Ref: expect.stringMatching(/^Table/) } });
  });

  it('sends every domain event on the bus to the queue, with retries and the dead-letter queue', () => {
    const rule = resource(template, 'AWS::Events::Rule', logicalId(delivery.eventsRule)).Properties;
    expect(rule).toMatchObject({
      EventBusName: { Ref: logicalId(bus) },
      EventPattern: { source: ['stepwise'] },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId(), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        },
      ],
    });
  });

  it('tells operators where dead letters are (WebhookDeadLettersQueueUrl)', () => {
    expect(template.findOutputs('WebhookDeadLettersQueueUrl')).toMatchObject({ WebhookDeadLettersQueueUrl: { Value: { Ref: dlqId() } } });
  });

  it('sweeps every 5 minutes by putting {"kind":"sweep"} on the queue', () => {
    const rule = resource(template, 'AWS::Events::Rule', logicalId(delivery.sweepRule)).Properties;
    expect(rule).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', Targets: [{ Arn: { 'Fn::GetAtt': [queueId(), 'Arn'] }, Input: '{"kind":"sweep"}' }] });
  });

  it('the dispatcher may use the table, consume and send on its queue only; no wildcard but X-Ray', () => {
    const all = statements();
    const sqs = all.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    for (const s of sqs) expect(s.Resource).toEqual({ 'Fn::GetAtt': [queueId(), 'Arn'] });
    expect(allActions(sqs)).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage']);
    expect(allActions(all).filter((a) => a.startsWith('dynamodb:'))).not.toContain('dynamodb:Scan');
    expect(all.filter((s) => JSON.stringify(s.Resource) === '"*"').flatMap(actionsOf).toSorted()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });
});
