/**
 * The offline deploy check, part 3 (docs/deploy.md#offline-deploy-check): what the generated state
 * machines themselves call. A workflow using every kind of Task state the compiler emits is compiled
 * exactly as the workflows function compiles it (its environment, at the longest stage names); each
 * Task state's service integration becomes the IAM requests Step Functions makes for it (as the Step
 * Functions IAM documentation lists them per integration), simulated against the synthesized machine
 * role. An integration the table below does not know fails the check, so a new one must say what it needs.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobsProjectName } from '../../lib/definitions/names.ts';
import { parseWorkflow } from '../../statemachines/parse.ts';
import { compileWorkflow } from '../../statemachines/compile/compile.ts';
import type { AslState, AslTaskState } from '../../statemachines/asl/types.ts';
import { ACCOUNT, buildWorld, LONGEST_DEV_STAGE, LONGEST_PROD_STAGE, PARTITION, REGION, type PolicyDocument, type World } from './support/world.ts';

interface Request {
  action: string;
  resource: string;
}

const WORKFLOW = {
  name: 'every integration',
  tasks: [
    { name: 'fetch', type: 'http.request', payload: { url: 'https://example.com' } },
    { name: 'build', type: 'ci', dependencies: ['fetch'], payload: { repo_url: 'https://github.com/user/repo.git', command: 'npm test' } },
    { name: 'check', type: 'generic', dependencies: ['build'], payload: { command: 'validate_schema' } },
    { name: 'sign_off', type: 'approval', dependencies: ['check'], payload: { message: 'ok?' } },
    { name: 'child', type: 'subworkflow', dependencies: ['sign_off'], payload: { workflow_id: 'wf_01J00000000000000000000001', input: { n: '{{input.n}}' } } },
    { name: 'fire', type: 'subworkflow', dependencies: ['child'], payload: { workflow_id: 'wf_01J00000000000000000000002', wait: false } },
    { name: 'each', type: 'map', dependencies: ['fire'], payload: { items: '{{steps.fetch.output.body}}', iterator: { tasks: [{ name: 'inner', type: 'generic', payload: { command: 'true' } }] } } },
  ],
};

/** What Step Functions asks IAM for, per integration (docs/deploy.md, "Jobs" cites the pages). */
function requestsFor(state: AslTaskState): Request[] {
  const arn = (service: string, resource: string) => `arn:${PARTITION}:${service}:${REGION}:${ACCOUNT}:${resource}`;
  const params = (state.Parameters ?? {}) as Record<string, unknown>;
  switch (state.Resource.replace(/^arn:[^:]+:states:::/, '')) {
    case 'lambda:invoke':
    case 'lambda:invoke.waitForTaskToken':
      return [{ action: 'lambda:InvokeFunction', resource: String(params.FunctionName) }];
    case 'codebuild:startBuild.sync': {
      const project = arn('codebuild', `project/${String(params.ProjectName)}`);
      const rule = arn('events', 'rule/StepFunctionsGetEventForCodeBuildStartBuildRule');
      return [
        ...['codebuild:StartBuild', 'codebuild:StopBuild', 'codebuild:BatchGetBuilds'].map((action) => ({ action, resource: project })),
        ...['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({ action, resource: rule })),
      ];
    }
    // Subworkflows (statemachines/README.md, "Subworkflows"): the child's `live` alias; .sync:2 also
    // describes and stops the child's execution and keeps the managed rule it watches executions with.
    case 'states:startExecution':
      return [{ action: 'states:StartExecution', resource: String(params.StateMachineArn) }];
    case 'states:startExecution.sync:2': {
      const machine = String(params.StateMachineArn);
      const execution = `${machine.replace(':stateMachine:', ':execution:').replace(/:live$/, '')}:exec_01J00000000000000000000000-acct_01J00000000000000000000000`;
      const rule = arn('events', 'rule/StepFunctionsGetEventsForStepFunctionsExecutionRule');
      return [
        { action: 'states:StartExecution', resource: machine },
        ...['states:DescribeExecution', 'states:StopExecution'].map((action) => ({ action, resource: execution })),
        ...['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({ action, resource: rule })),
      ];
    }
    default:
      throw new Error(`the deploy check does not know what ${state.Resource} needs: add it to requestsFor`);
  }
}

function taskStates(states: Record<string, AslState>): AslTaskState[] {
  return Object.values(states).flatMap((s): AslTaskState[] =>
    s.Type === 'Task' ? [s] : s.Type === 'Map' ? taskStates(s.ItemProcessor.States) : s.Type === 'Parallel' ? s.Branches.flatMap((b) => taskStates(b.States)) : [],
  );
}

function machineRole(world: World): { arn: string; policies: PolicyDocument[] } {
  const role = world.resourcesOf('AWS::IAM::Role').find((r) => JSON.stringify(r.properties.AssumeRolePolicyDocument).includes('states.amazonaws.com') && r.logicalId.startsWith('MachineRole'))!;
  const policies = ((role.properties.Policies ?? []) as { PolicyDocument: PolicyDocument }[]).map((p) => p.PolicyDocument);
  return { arn: String(world.evaluate({ 'Fn::GetAtt': [role.logicalId, 'Arn'] }, role.info)), policies };
}

/** The machine exactly as the deployed workflows function would compile it. */
function compiledFor(world: World) {
  const env = world.functions.find((f) => f.key === 'Api/WorkflowsFunction')!.environment;
  const parsed = parseWorkflow(WORKFLOW);
  if (!parsed.ok || !parsed.ir) throw new Error(JSON.stringify(parsed.issues));
  const compiled = compileWorkflow(parsed.ir, {
    taskRunnerArn: env.TASK_RUNNER_ARN!,
    stateMachineArnPrefix: env.STATE_MACHINE_ARN_PREFIX!,
    partition: PARTITION,
    jobsProject: jobsProjectName(env.STATE_MACHINE_PREFIX!),
    workflowId: 'wf_01J00000000000000000000000',
    accountId: 'acct_01J00000000000000000000000',
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return compiled;
}

async function decide(role: { arn: string; policies: PolicyDocument[] }, request: Request): Promise<string> {
  const result = await runSimulation(
    {
      identityPolicies: role.policies.map((policy, i) => ({ name: `p${i}`, policy: policy as never })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: { principal: role.arn, action: request.action, resource: { resource: request.resource, accountId: ACCOUNT }, contextVariables: { 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalArn': role.arn } },
    },
    {},
  );
  return result.resultType === 'error' ? `error: ${JSON.stringify(result.errors)}` : result.overallResult;
}

let worlds: World[];
beforeAll(() => {
  worlds = [buildWorld(LONGEST_DEV_STAGE), buildWorld(LONGEST_PROD_STAGE)];
});

describe('IAM simulation of what the generated state machines call', () => {
  it('allows every request every Task state makes, jobs (codebuild:startBuild.sync) and subworkflows (states:startExecution[.sync:2]) included, at the longest stage names', async () => {
    const denied: string[] = [];
    const seen = new Set<string>();
    for (const world of worlds) {
      const role = machineRole(world);
      const compiled = compiledFor(world);
      for (const state of taskStates(compiled.definition.States)) {
        seen.add(state.Resource);
        for (const request of requestsFor(state)) {
          const verdict = await decide(role, request);
          if (verdict !== 'Allowed') denied.push(`${world.stage}: ${request.action} on ${request.resource}: ${verdict}`);
        }
      }
    }
    expect(denied).toEqual([]);
    expect([...seen].toSorted()).toEqual([
      'arn:aws:states:::codebuild:startBuild.sync',
      'arn:aws:states:::lambda:invoke',
      'arn:aws:states:::lambda:invoke.waitForTaskToken',
      'arn:aws:states:::states:startExecution',
      'arn:aws:states:::states:startExecution.sync:2',
    ]);
  });

  it('denies another stage’s jobs project and builds of any other project', async () => {
    const pr = buildWorld('pr');
    const role = machineRole(pr);
    const project = (name: string) => `arn:${PARTITION}:codebuild:${REGION}:${ACCOUNT}:project/${name}`;
    expect(await decide(role, { action: 'codebuild:StartBuild', resource: project('stepwise-pr-jobs') })).toBe('Allowed');
    expect(await decide(role, { action: 'codebuild:StartBuild', resource: project('stepwise-pr-42-jobs') })).not.toBe('Allowed');
    expect(await decide(role, { action: 'codebuild:StartBuild', resource: project('deploy-production') })).not.toBe('Allowed');
  });

  it('lets a machine start only this stage’s workflow machines, and watch only their executions', async () => {
    const pr = buildWorld('pr');
    const role = machineRole(pr);
    const machine = (name: string) => `arn:${PARTITION}:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
    const execution = (name: string) => `arn:${PARTITION}:states:${REGION}:${ACCOUNT}:execution:${name}:exec_01J00000000000000000000000-acct_01J00000000000000000000000`;
    expect(await decide(role, { action: 'states:StartExecution', resource: machine('stepwise-pr-wf_01J00000000000000000000001:live') })).toBe('Allowed');
    expect(await decide(role, { action: 'states:DescribeExecution', resource: execution('stepwise-pr-wf_01J00000000000000000000001') })).toBe('Allowed');
    expect(await decide(role, { action: 'states:StartExecution', resource: machine('stepwise-prod-wf_01J00000000000000000000001:live') })).not.toBe('Allowed');
    expect(await decide(role, { action: 'states:StartExecution', resource: machine('billing-reconcile') })).not.toBe('Allowed');
    expect(await decide(role, { action: 'states:StopExecution', resource: execution('billing-reconcile') })).not.toBe('Allowed');
    expect(await decide(role, { action: 'events:PutRule', resource: `arn:${PARTITION}:events:${REGION}:${ACCOUNT}:rule/anything-else` })).not.toBe('Allowed');
  });
});
