import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stageConfig } from '../../lib/stage-config.ts';
import { WorkflowStack } from '../../lib/workflow-stack.ts';
import { resources, skipBuiltinValidation, type Statement } from './helpers.ts';

describe('WorkflowStack', () => {
  let template: Template;
  let stack: WorkflowStack;

  beforeAll(() => {
    skipBuiltinValidation();
    stack = new WorkflowStack(new App(), 'Stepwise-dev-Workflow', { config: stageConfig('dev') });
    template = Template.fromStack(stack);
  });
  afterAll(() => vi.unstubAllEnvs());

  const roleStatements = (): Statement[] => {
    const [role] = Object.values(resources(template, 'AWS::IAM::Role'));
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
    expect(JSON.stringify(byAction('states:StartExecution').map((s) => s.Resource))).toContain('stateMachine:stepwise-dev-*');
    const wildcard = statements.filter((s) => s.Resource === '*').flatMap(actions);
    expect(wildcard.every((a) => a.startsWith('logs:') || a.startsWith('xray:'))).toBe(true);
  });

  it('logs machines to a vended-logs group with the stage’s retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/states/stepwise-dev', RetentionInDays: 14 });
    expect(stack.machinePrefix).toBe('stepwise-dev');
    expect(stack.taskRunnerName).toBe('stepwise-dev-task-runner');
  });

  it('creates the stage’s domain event bus', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'stepwise-dev-events' });
  });
});
