import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataStack } from '../../lib/data-stack.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { WorkflowStack } from '../../lib/workflow-stack.ts';
import { logicalId, resources, skipBuiltinValidation, type Statement } from './helpers.ts';

describe('jobs project (generic and ci nodes on AWS)', () => {
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

  const statementsOf = (roleId: string): Statement[] => {
    const inline = ((resources(template, 'AWS::IAM::Role')[roleId]!.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
    const attached = Object.values(resources(template, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    return [...inline, ...attached];
  };
  const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

  it('is one project named after the stage, with no source, a small standard image, not privileged, 8 h at most, logging to its own group', () => {
    const projects = Object.values(resources(template, 'AWS::CodeBuild::Project'));
    expect(projects).toHaveLength(1);
    expect(projects[0]!.Properties).toMatchObject({
      Name: 'stepwise-dev-jobs',
      Source: { Type: 'NO_SOURCE' },
      Artifacts: { Type: 'NO_ARTIFACTS' },
      Environment: { ComputeType: 'BUILD_GENERAL1_SMALL', Image: 'aws/codebuild/standard:7.0', PrivilegedMode: false, Type: 'LINUX_CONTAINER' },
      TimeoutInMinutes: 480,
      LogsConfig: { CloudWatchLogs: { Status: 'ENABLED', GroupName: { Ref: logicalId(stack.jobs.logGroup) } } },
      ServiceRole: { 'Fn::GetAtt': [logicalId(stack.jobs.role), 'Arn'] },
    });
    // Its own buildspec refuses: only a node's buildspec override runs anything.
    expect(String((projects[0]!.Properties.Source as { BuildSpec: string }).BuildSpec)).toContain('exit 1');
    expect(Object.values(resources(template, 'AWS::Logs::LogGroup')).some((g) => g.Properties.LogGroupName === '/aws/codebuild/stepwise-dev-jobs')).toBe(true);
  });

  it('its role, assumable by CodeBuild only, may write its own log group and nothing else (no secrets, table, reports)', () => {
    const id = logicalId(stack.jobs.role);
    expect(JSON.stringify(resources(template, 'AWS::IAM::Role')[id]!.Properties.AssumeRolePolicyDocument)).toContain('codebuild.amazonaws.com');
    const statements = statementsOf(id);
    expect(statements).toEqual([{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logicalId(stack.jobs.logGroup), 'Arn'] } }]);
  });

  it('the machines’ role may start, watch and stop builds of exactly that project, and manage the .sync rule Step Functions uses for CodeBuild', () => {
    const machineRole = logicalId(stack.machineRole as never);
    const statements = statementsOf(machineRole);
    const codebuild = statements.filter((s) => actions(s).some((a) => a.startsWith('codebuild:')));
    expect(codebuild).toHaveLength(1);
    expect(actions(codebuild[0]!).toSorted()).toEqual(['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild']);
    expect(JSON.stringify(codebuild[0]!.Resource)).toContain(':project/stepwise-dev-jobs');
    const rule = statements.find((s) => JSON.stringify(s.Resource).includes('StepFunctionsGetEventForCodeBuildStartBuildRule'));
    expect(rule && actions(rule).toSorted()).toEqual(['events:DescribeRule', 'events:PutRule', 'events:PutTargets']);
  });
});
