import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataStack } from '../../lib/data-stack.ts';
import { CHANGE_STREAM_BATCH_SIZE, CHANGE_STREAM_RETRY_ATTEMPTS, EVENT_SOURCE_ENTITIES, STREAM_ENTITIES } from '../../lib/definitions/change-stream.ts';
import { EventsStack } from '../../lib/events-stack.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { WorkflowStack } from '../../lib/workflow-stack.ts';
import { actionsOf, allActions, logicalId, resource, resources, skipBuiltinValidation, statementsForRole, type Statement } from './helpers.ts';

describe('EventsStack', () => {
  let template: Template;
  let stack: EventsStack;
  let data: DataStack;
  let workflow: WorkflowStack;

  beforeAll(() => {
    skipBuiltinValidation();
    const app = new App();
    const config = stageConfig('dev');
    data = new DataStack(app, 'Stepwise-dev-Data', { config });
    workflow = new WorkflowStack(app, 'Stepwise-dev-Workflow', { config, table: data.table, secretsKey: data.secretsKey });
    stack = new EventsStack(app, 'Stepwise-dev-Events', { config, table: data.table, tableStreamArn: data.tableStreamArn, bus: workflow.eventBus, jwksSecret: data.jwksSecret });
    template = Template.fromStack(stack);
  }, 120_000);
  afterAll(() => vi.unstubAllEnvs());

  const fnId = () => logicalId(stack.changeEvents.function.function);
  const roleStatements = (): Statement[] => statementsForRole(template, logicalId(stack.changeEvents.function.role));
  // The stack holds other features' mappings and queues too (webhook delivery): pick the change stream's own.
  const streamMapping = () => Object.values(resources(template, 'AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: fnId() }))[0]!;
  const failuresPolicy = () => Object.values(resources(template, 'AWS::SQS::QueuePolicy')).filter((p) => JSON.stringify(p.Properties.Queues).includes(logicalId(stack.changeEvents.failures)))[0]!;

  it('exposes what later features build on: config, table and bus', () => {
    expect(stack.config.stage).toBe('dev');
    expect(stack.table).toBe(data.table);
    expect(stack.bus).toBe(workflow.eventBus);
  });

  it('reads the table’s stream from the oldest record, in batches, with bisection, partial-batch responses, bounded retries and an on-failure queue', () => {
    const mapping = streamMapping().Properties;
    expect(mapping).toMatchObject({
      FunctionName: { Ref: fnId() },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: CHANGE_STREAM_BATCH_SIZE,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: CHANGE_STREAM_RETRY_ATTEMPTS,
      MaximumRecordAgeInSeconds: 86_400,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack.changeEvents.failures), 'Arn'] } } },
    });
    // The stream of the data stack's table, as a weak reference: an export would pin the stream, and
    // a data-stack update that replaces it would then fail.
    expect(mapping.EventSourceArn).toEqual({ 'Fn::GetStackOutput': { StackName: 'Stepwise-dev-Data', OutputName: 'TableStreamArn' } });
    expect(Template.fromStack(data).findOutputs('TableStreamArn')).toMatchObject({ TableStreamArn: { Value: { 'Fn::GetAtt': [logicalId(data.table), 'StreamArn'] } } });
    expect(JSON.stringify(Template.fromStack(data).toJSON())).not.toMatch(/"Export":\{"Name":"[^"]*StreamArn/);
    // Everything of the stream's that the stack uses comes that way: no import of it anywhere.
    expect(JSON.stringify(template.toJSON())).not.toMatch(/Fn::ImportValue[^}]*StreamArn/);
  });

  it('wakes only for entities that produce events or move counters, whether the entity is in the new image or (removals) only the old one', () => {
    const { Filters } = streamMapping().Properties.FilterCriteria as { Filters: { Pattern: string }[] };
    expect(Filters.map((f) => JSON.parse(f.Pattern) as unknown)).toEqual([
      { dynamodb: { NewImage: { entity: { S: [...STREAM_ENTITIES] } } } },
      { dynamodb: { OldImage: { entity: { S: [...STREAM_ENTITIES] } } } },
    ]);
    expect(EVENT_SOURCE_ENTITIES).toEqual(['task', 'workflow', 'execution', 'run_task', 'execution_log', 'webhook', 'approval']);
    expect(STREAM_ENTITIES).toEqual([...EVENT_SOURCE_ENTITIES, 'run_iteration']);
  });

  it('runs the event-stream handler on the house runtime and knows the bus', () => {
    const fn = resource(template, 'AWS::Lambda::Function', fnId()).Properties;
    expect(fn).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(variables.EVENT_BUS_NAME)).toContain('EventBus');
    expect(variables).toMatchObject({ STEPWISE_MODE: 'aws', STEPWISE_STAGE: 'dev' });
    // The counters it moves live in the table.
    expect(JSON.stringify(variables.TABLE_NAME)).toContain('Table');
  });

  it('may put events on this bus only, read only this table’s stream, and send only to its failure queue', () => {
    const statements = roleStatements();
    const on = (action: string) => statements.filter((s) => actionsOf(s).includes(action));
    expect(on('events:PutEvents')).toHaveLength(1);
    expect(JSON.stringify(on('events:PutEvents')[0]!.Resource)).toContain('EventBus');
    const streamRead = on('dynamodb:GetRecords');
    expect(streamRead).toHaveLength(1);
    expect(actionsOf(streamRead[0]!).toSorted()).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']);
    expect(JSON.stringify(streamRead[0]!.Resource)).toContain('StreamArn');
    expect(JSON.stringify(on('sqs:SendMessage').map((s) => s.Resource))).toContain(logicalId(stack.changeEvents.failures));
    // No item reads: events come from the stream images. The one item write is the counter ADD, on this table only.
    expect(allActions(statements).filter((a) => a.startsWith('dynamodb:')).toSorted()).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'dynamodb:UpdateItem',
    ]);
    const counting = on('dynamodb:UpdateItem');
    expect(counting).toHaveLength(1);
    expect(actionsOf(counting[0]!)).toEqual(['dynamodb:UpdateItem']);
    expect(counting[0]!.Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/Table.*Arn/) });
    const wildcard = statements.filter((s) => JSON.stringify(s.Resource) === '"*"').flatMap(actionsOf).toSorted();
    expect(wildcard).toEqual(['dynamodb:ListStreams', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('keeps failed stream positions 14 days in an encrypted, TLS-only queue and tells operators where', () => {
    expect(resource(template, 'AWS::SQS::Queue', logicalId(stack.changeEvents.failures)).Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    const policy = failuresPolicy().Properties.PolicyDocument as { Statement: Statement[] };
    expect(policy.Statement).toEqual(expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]));
    expect(template.findOutputs('ChangeEventFailuresQueueUrl')).toMatchObject({ ChangeEventFailuresQueueUrl: { Value: { Ref: logicalId(stack.changeEvents.failures) } } });
  });
});
