import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FUNCTION_ACCESS } from '../../lib/api-stack.ts';
import { WORKFLOW_TRIGGER_EVENTS } from '../../lib/definitions/event-patterns.ts';
import { RESOURCES } from '../../lib/definitions/routes.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { createStepwiseStacks, type StepwiseStacks } from '../../lib/stepwise.ts';
import { actionsOf, allActions, apiMethods, logicalId, only, resource, skipBuiltinValidation, statementsForRole, type Statement } from './helpers.ts';

describe('workflow triggers (lib/constructs/workflow-triggers.ts)', () => {
  let stacks: StepwiseStacks;
  let events: Template;
  let api: Template;

  beforeAll(() => {
    skipBuiltinValidation();
    // Bundling skipped: only templates matter here.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    stacks = createStepwiseStacks(app, stageConfig('prod'));
    events = Template.fromStack(stacks.events);
    api = Template.fromStack(stacks.api);
  }, 120_000);
  afterAll(() => vi.unstubAllEnvs());

  const triggers = () => stacks.events.triggers;
  const envOf = (template: Template, id: string) => (resource(template, 'AWS::Lambda::Function', id).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  const scheduler = (statements: Statement[]) =>
    statements.filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:')) || (actionsOf(s).includes('iam:PassRole') && JSON.stringify(s.Resource).includes('scheduler')));

  it('keeps one schedule group per stage, deleted with the stack (schedules are derived from the table)', () => {
    const group = only(events, 'AWS::Scheduler::ScheduleGroup');
    expect(group.Properties).toEqual({ Name: 'stepwise-prod' });
    expect(group.DeletionPolicy).toBe('Delete');
  });

  it('gives Scheduler a role only it may assume for this account, able to invoke only the scheduled-run function', () => {
    const role = resource(events, 'AWS::IAM::Role', logicalId(triggers().schedulerRole)).Properties;
    expect(role.RoleName).toBe('stepwise-prod-scheduler');
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }],
    });
    expect(statementsForRole(events, logicalId(triggers().schedulerRole))).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [logicalId(triggers().scheduledRun.function), 'Arn'] } },
    ]);
  });

  it('names the scheduled-run target as the API functions expect it, and lets it start runs and delete only orphaned schedules', () => {
    const fnId = logicalId(triggers().scheduledRun.function);
    expect(resource(events, 'AWS::Lambda::Function', fnId).Properties.FunctionName).toBe('stepwise-prod-scheduled-run');
    expect(envOf(events, fnId)).toMatchObject({ SCHEDULE_GROUP_NAME: 'stepwise-prod' });
    const statements = statementsForRole(events, logicalId(triggers().scheduledRun.role));
    expect(allActions(statements).filter((a) => a.startsWith('scheduler:') || a.startsWith('states:') || a.startsWith('iam:'))).toEqual(['scheduler:DeleteSchedule', 'states:StartExecution']);
    expect(JSON.stringify(scheduler(statements).map((s) => s.Resource))).toContain(':schedule/stepwise-prod/*');
    const starts = statements.filter((s) => actionsOf(s).includes('states:StartExecution'));
    expect(JSON.stringify(starts.map((s) => s.Resource))).toContain('stateMachine:stepwise-prod-wf_*:*');
  });

  it('sends every domain event on the stage bus to the dispatcher, with retries and a dead-letter queue', () => {
    const rule = resource(events, 'AWS::Events::Rule', logicalId(triggers().rule)).Properties;
    expect(rule.EventPattern).toEqual({ source: [...WORKFLOW_TRIGGER_EVENTS.source] });
    expect(JSON.stringify(rule.EventBusName)).toContain('Fn::ImportValue');
    const [target] = rule.Targets as { Arn: unknown; RetryPolicy: unknown; DeadLetterConfig: unknown }[];
    expect(target!.Arn).toEqual({ 'Fn::GetAtt': [logicalId(triggers().dispatcher.function), 'Arn'] });
    expect(target!.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 });
    expect(JSON.stringify(target!.DeadLetterConfig)).toContain('TriggerDispatchDlq');
    const statements = statementsForRole(events, logicalId(triggers().dispatcher.role));
    expect(scheduler(statements)).toEqual([]);
    expect(allActions(statements)).toContain('states:StartExecution');
  });

  it('lets the workflows function manage schedules in the stage group only and pass only the scheduler role, only to Scheduler', () => {
    const statements = scheduler(statementsForRole(api, logicalId(stacks.api.functions.workflows.role)));
    const manage = statements.find((s) => actionsOf(s).includes('scheduler:CreateSchedule'))!;
    expect(actionsOf(manage).toSorted()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule']);
    expect(JSON.stringify(manage.Resource)).toContain(':schedule/stepwise-prod/*');
    const pass = statements.find((s) => actionsOf(s).includes('iam:PassRole') && JSON.stringify(s.Resource).includes('scheduler'))!;
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    expect(JSON.stringify(pass.Resource)).toContain(':role/stepwise-prod-scheduler');
    for (const r of RESOURCES.filter((x) => !FUNCTION_ACCESS[x].managesSchedules)) {
      expect(scheduler(statementsForRole(api, logicalId(stacks.api.functions[r].role))), r).toEqual([]);
    }
  });

  it('tells the workflows function where schedules live by name (no reference to the events stack)', () => {
    const env = envOf(api, logicalId(stacks.api.functions.workflows.function));
    expect(env.SCHEDULE_GROUP_NAME).toBe('stepwise-prod');
    expect(JSON.stringify(env.SCHEDULER_ROLE_ARN)).toMatch(/:iam::".*"AWS::AccountId".*:role\/stepwise-prod-scheduler/);
    expect(JSON.stringify(env.SCHEDULED_RUN_ARN)).toContain(':function:stepwise-prod-scheduled-run');
    expect(JSON.stringify([env.SCHEDULE_GROUP_NAME, env.SCHEDULER_ROLE_ARN, env.SCHEDULED_RUN_ARN])).not.toContain('Fn::ImportValue');
  });

  it('gives the functions that show hook URLs the API’s own base URL, built from the REST API id and stage', () => {
    const restApi = logicalId(stacks.api.api);
    const baseUrlOf = (r: (typeof RESOURCES)[number]) => envOf(api, logicalId(stacks.api.functions[r].function)).PUBLIC_BASE_URL;
    const expected = { 'Fn::Join': ['', ['https://', { Ref: restApi }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/prod']] };
    expect(RESOURCES.map((r) => [r, baseUrlOf(r)])).toEqual(RESOURCES.map((r) => [r, FUNCTION_ACCESS[r].showsHookUrls ? expected : undefined]));
    expect(RESOURCES.filter((r) => FUNCTION_ACCESS[r].showsHookUrls)).toEqual(['workflows', 'triggers']);
  });

  it('routes the public hook to the triggers function without the authorizer', () => {
    const methods = [...apiMethods(stacks.api).values()].map((Properties) => ({ Properties })) as { Properties: { HttpMethod: string; AuthorizationType: string; OperationName?: string; ApiKeyRequired?: boolean } }[];
    const hook = methods.find((m) => m.Properties.OperationName === 'runWebhook')!;
    expect(hook.Properties).toMatchObject({ HttpMethod: 'POST', AuthorizationType: 'NONE' });
    expect(hook.Properties.ApiKeyRequired).toBeFalsy();
    expect(methods.find((m) => m.Properties.OperationName === 'rotateWebhookToken')!.Properties.AuthorizationType).toBe('CUSTOM');
  });
});
