import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { StateMachine } from 'aws-local-stepfunctions';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { installPromiseWithResolvers } from '../../functions/adapters/local/promise-with-resolvers.ts';
import { runAction, type ExecutorDeps } from '../../functions/core/runner/executors.ts';
import type { AslState, AslTaskState } from '../../statemachines/asl/types.ts';
import { compileWorkflow, type CompiledStateMachine } from '../../statemachines/compile/compile.ts';
import { CI_BUILDSPEC, GENERIC_BUILDSPEC } from '../../statemachines/jobs.ts';
import type { LambdaInvokeParameters, TaskRunnerRequest } from '../../statemachines/task-runner-contract.ts';
import { compile, ir, OPTIONS } from './support/fixtures.ts';

installPromiseWithResolvers();
const run = promisify(execFile);
const PROJECT = 'stepwise-dev-jobs';
const FLOW = {
  name: 'Data Processing',
  config: { retry_policy: { max_attempts: 2, initial_delay: '1s', backoff_factor: 1 } },
  tasks: [
    { name: 'validate_data', type: 'generic', payload: { command: 'sh -c', args: ['echo "checking $1 for $STAGE"; exit ${EXIT:-0}', 'sh', '{{input.file}}'], environment: { STAGE: 'staging', EXIT: '{{input.exit}}' }, timeout: '10m' } },
    { name: 'after', type: 'transform', dependencies: ['validate_data'], payload: { expression: 'input.file' } },
  ],
};

function allStates(states: Record<string, AslState>): Array<[string, AslState]> {
  return Object.entries(states).flatMap(([n, s]): Array<[string, AslState]> => [[n, s], ...(s.Type === 'Map' ? allStates(s.ItemProcessor.States) : s.Type === 'Parallel' ? s.Branches.flatMap((b) => allStates(b.States)) : [])]);
}

describe('generic and ci on AWS: prepare → codebuild:startBuild.sync → record', () => {
  it('lowers a job node to its three states, with the node’s retry policy and timeout on the build, and valid ASL', () => {
    const compiled = compile(FLOW, { jobsProject: PROJECT });
    const states = compiled.definition.States;
    expect(Object.keys(states).filter((n) => n.startsWith('validate_data'))).toEqual(['validate_data', 'validate_data (job)', 'validate_data (record)', 'validate_data (failed)', 'validate_data (job failed)']);
    const job = states['validate_data (job)'] as AslTaskState;
    expect(job).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::codebuild:startBuild.sync',
      Parameters: { ProjectName: PROJECT, BuildspecOverride: GENERIC_BUILDSPEC, 'EnvironmentVariablesOverride.$': '$.environment' },
      TimeoutSecondsPath: '$.timeout_seconds',
      ResultPath: '$.build',
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1, BackoffRate: 1, MaxDelaySeconds: 300, JitterStrategy: 'FULL' }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.build_error', Next: 'validate_data (job failed)' }],
      Next: 'validate_data (record)',
    });
    expect(states.validate_data).toMatchObject({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { Payload: { action: 'prepare_job' } }, ResultSelector: { 'environment.$': '$.Payload.environment', 'timeout_seconds.$': '$.Payload.timeout_seconds', 'scope.$': '$$.Execution.Input' }, Next: 'validate_data (job)' });
    // No ResultPath: the selected answer (with the input under scope) becomes the state, as for choice routing.
    expect(states.validate_data).not.toHaveProperty('ResultPath');
    expect(states['validate_data (record)']).toMatchObject({ Parameters: { Payload: { action: 'record_job', 'build.$': '$.build.Build' } }, OutputPath: '$.scope', Next: 'after' });
    expect(states['validate_data (job failed)']).toMatchObject({ Parameters: { Payload: { action: 'record_job', 'build_error.$': '$.build_error' } }, OutputPath: '$.scope', Next: 'after' });
    expect((states['validate_data (job failed)'] as AslTaskState).Retry).toBeUndefined();
    expect(compiled.task_states['validate_data (record)']).toEqual({ node_id: 'validate_data', node_type: 'generic', action: 'record_job', callback: false });
  });

  it('a node-level timeout (FlowCtl task timeout) bounds each build attempt', () => {
    const timed = compile({ tasks: [{ name: 'slow', type: 'generic', timeout: '2m', payload: { command: 'sleep 600', timeout: '1h' } }] }, { jobsProject: PROJECT });
    expect(timed.definition.States['slow (job)']).toMatchObject({ TimeoutSeconds: 120 });
    expect(timed.definition.States['slow (job)']).not.toHaveProperty('TimeoutSecondsPath');
  });

  it('names the partition; ci gets its own buildspec; without a jobs project (local mode) a job is one runner Task', () => {
    const cn = compile({ tasks: [{ name: 'build', type: 'ci', payload: { repo_url: 'https://github.com/user/repo.git', command: 'npm test' } }] }, { jobsProject: PROJECT, partition: 'aws-cn' });
    expect(cn.definition.States['build (job)']).toMatchObject({ Resource: 'arn:aws-cn:states:::codebuild:startBuild.sync', Parameters: { BuildspecOverride: CI_BUILDSPEC } });
    const local = compile(FLOW);
    expect(local.definition.States.validate_data).toMatchObject({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { Payload: { action: 'execute' } } });
    expect(Object.keys(local.definition.States).some((n) => n.includes('(job)'))).toBe(false);
  });

  it('refuses, at compile on AWS, a job that takes a secret or clones a path on this machine (both fine locally)', () => {
    const secret = ir({ tasks: [{ name: 'deploy', type: 'generic', payload: { command: 'deploy', environment: { TOKEN: '{{secrets.DEPLOY_TOKEN}}' } } }] });
    const local = { tasks: [{ name: 'build', type: 'ci', payload: { repo_url: 'file:///srv/repo', command: 'make' } }] };
    expect(compileWorkflow(secret, { ...OPTIONS, jobsProject: PROJECT })).toMatchObject({ ok: false, issues: [{ node: 'deploy', code: 'secret_not_allowed', message: expect.stringContaining('cannot take {{secrets.*}}') }] });
    expect(compileWorkflow(ir(local), { ...OPTIONS, jobsProject: PROJECT })).toMatchObject({ ok: false, issues: [{ node: 'build', field: 'repo_url', code: 'invalid_params' }] });
    expect(compileWorkflow(secret, OPTIONS).ok).toBe(true);
    expect(compileWorkflow(ir(local), OPTIONS).ok).toBe(true);
  });

  it('no compiled job state holds a secret value or a resolved template: the machine carries only the node’s literal params', () => {
    const compiled = compile(FLOW, { jobsProject: PROJECT });
    const jobStates = allStates(compiled.definition.States).filter(([name]) => name.startsWith('validate_data'));
    expect(jobStates).toHaveLength(5);
    const text = JSON.stringify(jobStates);
    expect(text).toContain('{{input.file}}');
    expect(text).toContain('{{input.exit}}');
    expect(text).not.toContain('data.csv');
  });

  describe('runs in aws-local-stepfunctions with CodeBuild played by bash running the buildspec', () => {
    const deps: ExecutorDeps = { http: { request: () => Promise.reject(new Error('no http')) }, lambda: { invoke: async () => ({}) }, expressions: { evaluate: async () => 'data.csv' } };

    /** Runs the machine; runner states go through the real executors, the build through bash. */
    async function execute(compiled: CompiledStateMachine, input: unknown) {
      const builds: { env: Record<string, string>; exit: number; stdout: string }[] = [];
      const requests: TaskRunnerRequest[] = [];
      const types: string[] = [];
      const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
      for (const [name, state] of allStates(compiled.definition.States)) {
        if (state.Type !== 'Task') continue;
        if (state.Resource.includes('codebuild')) {
          handlers[name] = async (params) => {
            const p = params as { BuildspecOverride: string; EnvironmentVariablesOverride: { name: string; value: string; type: string }[] };
            types.push(...p.EnvironmentVariablesOverride.map((v) => v.type));
            const env = Object.fromEntries(p.EnvironmentVariablesOverride.map((v) => [v.name, v.value]));
            const spec = parseYaml(p.BuildspecOverride) as { phases: { build: { commands: string[] } } };
            const script = spec.phases.build.commands.join('\n');
            const result = await run('bash', ['-ec', script], { env: { PATH: process.env.PATH!, ...env } }).then(
              (r) => ({ exit: 0, stdout: r.stdout }),
              (e: { code: number; stdout: string }) => ({ exit: e.code, stdout: e.stdout }),
            );
            builds.push({ env, ...result });
            const build = { Id: `${PROJECT}:b-${builds.length}`, BuildStatus: result.exit === 0 ? 'SUCCEEDED' : 'FAILED', StartTime: 1_800_000_000, EndTime: 1_800_000_002, Logs: { GroupName: '/aws/codebuild/x', StreamName: `b-${builds.length}` } };
            if (result.exit !== 0) {
              throw Object.assign(new Error(JSON.stringify({ ...build, Phases: [{ PhaseType: 'BUILD', PhaseStatus: 'FAILED', Contexts: [{ StatusCode: 'COMMAND_EXECUTION_ERROR', Message: `Error while executing command: eval. Reason: exit status ${result.exit}` }] }] })), { name: 'States.TaskFailed' });
            }
            return { Build: build };
          };
        } else {
          handlers[name] = async (params) => {
            const request = (params as LambdaInvokeParameters).Payload;
            requests.push(request);
            const ctx = { accountId: request.account_id, input: request.input, step: async () => undefined, secret: async () => undefined, signal: new AbortController().signal, log: () => undefined, now: () => new Date() };
            const { result } = await runAction(request, ctx, deps);
            const payload = result.action === 'prepare_job' ? { node_id: request.node_id, environment: result.environment, timeout_seconds: result.timeout_seconds } : { node_id: request.node_id, status: 'completed', output: result.action === 'execute' ? result.output : null };
            return { StatusCode: 200, Payload: payload };
          };
        }
      }
      // aws-local-stepfunctions resolves TimeoutSecondsPath against the state's Parameters; Step Functions
      // against the state input, where prepare_job put it. The path itself is asserted above.
      const definition = JSON.parse(compiled.json, (key, value) => (key === 'TimeoutSecondsPath' ? undefined : value)) as object;
      const machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
      const execution = machine.run(input as never, { overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: { 'validate_data (job)': 1 } }, context: { Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:m:e' }, State: { RetryCount: 0 }, Task: { Token: 't' } } } as never);
      const outcome = await execution.result.then(
        (output: unknown) => ({ status: 'SUCCEEDED', output, error: undefined as string | undefined, cause: undefined as string | undefined }),
        (e: { cause?: { name?: string; message?: string } }) => ({ status: 'FAILED', output: undefined, error: e.cause?.name, cause: e.cause?.message }),
      );
      return { ...outcome, builds, requests, types };
    }

    it('success: the build sees exactly the resolved argv and environment, record_job gets the build, and the next node sees the input again', async () => {
      const { status, builds, requests, error, cause, types } = await execute(compile(FLOW, { jobsProject: PROJECT }), { file: "it's $HOME.csv" });
      expect(status, `${error}: ${cause}`).toBe('SUCCEEDED');
      expect(new Set(types)).toEqual(new Set(['PLAINTEXT']));
      expect(builds).toHaveLength(1);
      expect(builds[0]).toMatchObject({ exit: 0, stdout: "checking it's $HOME.csv for staging\n", env: { STAGE: 'staging', EXIT: '', STEPWISE_ARGV: expect.any(String) } });
      expect(requests.map((r) => [r.node_id, r.action])).toEqual([['validate_data', 'prepare_job'], ['validate_data', 'record_job'], ['after', 'execute']]);
      expect(requests[1]!.build).toMatchObject({ Id: `${PROJECT}:b-1`, BuildStatus: 'SUCCEEDED' });
      expect(requests[2]!.input).toEqual({ file: "it's $HOME.csv" });
    });

    it('failure: the build is retried by the node’s policy, then the node fails with the exit code, naming the node', async () => {
      const { status, error, cause, builds, requests } = await execute(compile(FLOW, { jobsProject: PROJECT }), { file: 'bad.csv', exit: 3 });
      expect(status).toBe('FAILED');
      expect(builds.map((b) => b.exit)).toEqual([3, 3]);
      expect(requests.map((r) => r.action)).toEqual(['prepare_job', 'record_job']);
      expect(requests[1]!.build_error).toMatchObject({ Error: 'States.TaskFailed' });
      expect(error).toBe('Stepwise.CommandFailed');
      expect(JSON.parse(cause!)).toMatchObject({ failed_node: 'validate_data', node_type: 'generic', error: 'Stepwise.CommandFailed', cause: expect.stringContaining(`command exited with code 3 in CodeBuild build ${PROJECT}:b-2`) });
    });

    it('inside a map iteration too (the answers are parked in the envelope)', async () => {
      const mapped = { tasks: [{ name: 'each', type: 'map', payload: { items: '$.files', iterator: { tasks: [{ ...FLOW.tasks[0], payload: { ...FLOW.tasks[0]!.payload, args: ['echo "checking $1"', 'sh', '{{item}}'] } }] } } }] };
      const { status, builds } = await execute(compile(mapped, { jobsProject: PROJECT }), { files: ['a.csv', 'b.csv'] });
      expect(status).toBe('SUCCEEDED');
      expect(builds.map((b) => b.stdout).toSorted()).toEqual(['checking a.csv\n', 'checking b.csv\n']);
    });

    it('ci: the buildspec clones over https/ssh only, refusing a path or ext:: (GIT_ALLOW_PROTOCOL)', async () => {
      const spec = parseYaml(CI_BUILDSPEC) as { env: { variables: Record<string, string> }; phases: { build: { commands: string[] } } };
      expect(spec.env.variables).toEqual({ GIT_ALLOW_PROTOCOL: 'https:ssh', GIT_TERMINAL_PROMPT: '0' });
      const script = spec.phases.build.commands.join('\n');
      const tmp = (await run('mktemp', ['-d'])).stdout.trim();
      const attempt = (repo: string) => run('bash', ['-ec', script], { env: { PATH: process.env.PATH!, ...spec.env.variables, CODEBUILD_SRC_DIR: tmp, STEPWISE_REPO_URL: repo, STEPWISE_COMMAND: 'echo ran' } }).then(() => 0, (e: { code: number }) => e.code);
      expect(await attempt(`file://${tmp}`)).not.toBe(0);
      expect(await attempt(`ext::sh -c touch% ${tmp}/pwned`)).not.toBe(0);
      await expect(run('test', ['-e', `${tmp}/pwned`])).rejects.toBeDefined();
      await run('rm', ['-rf', tmp]);
    });
  });
});
