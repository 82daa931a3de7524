import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataStack } from '../../lib/data-stack.ts';
import { dataTablePrefix, stageNames } from '../../lib/definitions/names.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { WorkflowStack } from '../../lib/workflow-stack.ts';
import { logicalId, resources, skipBuiltinValidation, type Resource, type Statement } from './helpers.ts';

describe('WorkflowStack', () => {
  let template: Template;
  let stack: WorkflowStack;

  beforeAll(() => {
    skipBuiltinValidation();
    const app = new App();
    const config = stageConfig('dev');
    const data = new DataStack(app, 'Stepwise-dev-Data', { config });
    stack = new WorkflowStack(app, 'Stepwise-dev-Workflow', { config, table: data.table, secretsKey: data.secretsKey });
    template = Template.fromStack(stack);
  });
  afterAll(() => vi.unstubAllEnvs());

  const roleStatements = (): Statement[] => {
    const role = Object.values(resources(template, 'AWS::IAM::Role')).find((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('states.amazonaws.com'));
    const policies = (role!.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
    return policies;
  };
  const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

  it('gives generated machines a role only Step Functions can assume', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' } }] },
    });
  });

  it('lets machines invoke only the task runner, publish only to the bus, and start only this stage’s machines', () => {
    const statements = roleStatements();
    const byAction = (a: string) => statements.filter((s) => actions(s).includes(a));
    expect(JSON.stringify(byAction('lambda:InvokeFunction').map((s) => s.Resource))).toContain('function:stepwise-dev-task-runner');
    expect(JSON.stringify(byAction('events:PutEvents').map((s) => s.Resource))).toContain('EventBus');
    expect(JSON.stringify(byAction('states:StartExecution').map((s) => s.Resource))).toContain('stateMachine:stepwise-dev-wf_*');
    const wildcard = statements.filter((s) => s.Resource === '*').flatMap(actions);
    expect(wildcard.every((a) => a.startsWith('logs:') || a.startsWith('xray:'))).toBe(true);
  });

  it('grants subworkflow starts exactly what states:startExecution.sync:2 needs, on this stage’s machines only', () => {
    const statements = roleStatements();
    const of = (a: string) => statements.filter((s) => actions(s).includes(a));
    const text = (v: unknown) => JSON.stringify(v);
    // StartExecution on the machines (their `live` alias included), and nothing else of Step Functions on them.
    expect(of('states:StartExecution')).toHaveLength(1);
    expect(actions(of('states:StartExecution')[0]!)).toEqual(['states:StartExecution']);
    expect(text(of('states:StartExecution')[0]!.Resource)).toMatch(/:stateMachine:stepwise-dev-wf_\*"/);
    // .sync:2 watches the child and stops it when the parent stops: describe and stop, on their executions only.
    const watch = of('states:DescribeExecution');
    expect(watch).toHaveLength(1);
    expect(actions(watch[0]!).toSorted()).toEqual(['states:DescribeExecution', 'states:StopExecution']);
    expect(text(watch[0]!.Resource)).toMatch(/:execution:stepwise-dev-wf_\*"/);
    // The managed rule Step Functions keeps for .sync:2, by name, with the three actions its docs list.
    const rule = of('events:PutRule').find((s) => text(s.Resource).includes('StepFunctionsGetEventsForStepFunctionsExecutionRule'));
    expect(rule && actions(rule).toSorted()).toEqual(['events:DescribeRule', 'events:PutRule', 'events:PutTargets']);
    expect(text(rule!.Resource)).not.toContain('*');
    for (const a of ['states:SendTaskSuccess', 'states:StartSyncExecution', 'states:DeleteStateMachine', 'states:UpdateStateMachine']) expect(of(a)).toEqual([]);
  });

  it('logs machines to a vended-logs group with the stage’s retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/states/stepwise-dev', RetentionInDays: 14 });
    expect(stack.machinePrefix).toBe('stepwise-dev');
    expect(stack.taskRunnerName).toBe('stepwise-dev-task-runner');
  });

  it('creates the stage’s domain event bus', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'stepwise-dev-events' });
  });

  /** Every statement attached to a function's role (inline policies and AWS::IAM::Policy resources). */
  const statementsOf = (fnRoleId: string): Statement[] =>
    Object.values(resources(template, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(fnRoleId))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);

  it('creates the task runner under the name the machines invoke, with table, stage-secret, lambda-node and etl data access only', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'stepwise-dev-task-runner', Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 900 });
    const statements = statementsOf(logicalId(stack.taskRunner.role));
    const find = (action: string) => statements.filter((s) => actions(s).includes(action));
    expect(JSON.stringify(find('secretsmanager:GetSecretValue').map((s) => s.Resource))).toContain(':secret:stepwise/dev/*');
    expect(find('kms:Decrypt')[0]?.Condition).toMatchObject({ StringEquals: { 'kms:ViaService': expect.anything() } });
    expect(JSON.stringify(find('lambda:InvokeFunction').map((s) => s.Resource))).toContain('function:stepwise-dev-fn_*');
    expect(find('dynamodb:UpdateItem')).toHaveLength(1);
    // etl's Scan, Query and BatchWriteItem reach only accounts' data tables, never Stepwise's; its objects only etl/ of the data bucket.
    expect(find('dynamodb:Scan').map((s) => JSON.stringify(s.Resource))).toEqual([expect.stringContaining(':table/stepwise-dev-data_*')]);
    expect(find('dynamodb:Scan')[0]!.Resource).not.toEqual(expect.objectContaining({ 'Fn::GetAtt': expect.anything() }));
    // The pattern ends its stage part on "_": stage "pr"'s grant never reaches stage "pr-data"'s tables.
    const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const pr = glob(`${dataTablePrefix(stageNames('pr').prefix)}*`);
    expect(pr.test(`${dataTablePrefix(stageNames('pr').prefix)}acct_1-events`)).toBe(true);
    expect(pr.test(`${dataTablePrefix(stageNames('pr-data').prefix)}acct_1-events`)).toBe(false);
    expect(find('s3:PutObject').map((s) => JSON.stringify(s.Resource))).toEqual([expect.stringMatching(/\/etl\/\*/)]);
    expect(statements.flatMap(actions).filter((a) => a.startsWith('secretsmanager:'))).toEqual(['secretsmanager:GetSecretValue']);
  });

  it('routes this stage’s Step Functions status changes to the execution-events function, with retries and a dead-letter queue', () => {
    const [rule] = Object.values(resources(template, 'AWS::Events::Rule')) as Resource[];
    expect(rule!.Properties.EventPattern).toMatchObject({ source: ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'] });
    expect(JSON.stringify(rule!.Properties.EventPattern)).toContain('stateMachine:stepwise-dev-');
    const [target] = rule!.Properties.Targets as { Arn: unknown; DeadLetterConfig?: unknown; RetryPolicy?: { MaximumEventAgeInSeconds: number } }[];
    expect(JSON.stringify(target!.Arn)).toContain(logicalId(stack.executionEvents.function));
    expect(target!.DeadLetterConfig).toBeDefined();
    expect(target!.RetryPolicy?.MaximumEventAgeInSeconds).toBe(86_400);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const statements = statementsOf(logicalId(stack.executionEvents.role));
    expect(statements.flatMap(actions)).toContain('dynamodb:UpdateItem');
  });
});
