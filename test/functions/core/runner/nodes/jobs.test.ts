import { describe, expect, it } from 'vitest';
import { runAction, type ExecutorContext, type ExecutorDeps, type LogLevel } from '../../../../../functions/core/runner/executors.ts';
import { NODE_EXECUTORS } from '../../../../../functions/core/runner/nodes/index.ts';
import { RunnerFailure } from '../../../../../functions/core/runner/errors.ts';
import { CommandFailure, type CommandResult, type CommandRunner, type CommandSpec, type JobLogs } from '../../../../../functions/core/runner/ports.ts';
import { NODE_TYPE_NAMES, type NodeType } from '../../../../../statemachines/node-types.ts';
import { RUNNER_ERRORS, type TaskRunnerRequest } from '../../../../../statemachines/task-runner-contract.ts';

const ACCOUNT = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const TOKEN = 'tok_live_0123456789abcdef';

function request(node_type: NodeType, params: Record<string, unknown>): TaskRunnerRequest {
  return { node_id: 'job', node_type, action: 'execute', params, account_id: ACCOUNT, workflow_id: 'wf_1', execution_id: 'arn:aws:states:local:000000000000:execution:m:e', input: { file: 'data.csv', env: 'staging' }, retry_count: 0 };
}

/** Answers each run with the next result (or failure) and records every spec. */
class FakeCommands implements CommandRunner {
  readonly specs: CommandSpec[] = [];
  constructor(private readonly answer: (spec: CommandSpec) => Partial<CommandResult> | Error = () => ({})) {}
  async run(spec: CommandSpec): Promise<CommandResult> {
    this.specs.push(spec);
    const a = this.answer(spec);
    if (a instanceof Error) throw a;
    return { exitCode: 0, signal: null, stdout: '', stderr: '', truncated: false, durationMs: 12, timedOut: false, ...a };
  }
}

function context(signal = new AbortController().signal) {
  const logs: { level: LogLevel; message: string; data: Record<string, unknown> | undefined }[] = [];
  const ctx: ExecutorContext = {
    accountId: ACCOUNT,
    input: { file: 'data.csv', env: 'staging' },
    step: async () => undefined,
    secret: async (key) => (key === 'TOKEN' ? TOKEN : undefined),
    signal,
    log: (level, message, data) => logs.push({ level, message, data }),
    now: () => new Date('2030-01-01T00:00:00Z'),
  };
  return { ctx, logs };
}

const deps = (commands?: CommandRunner): ExecutorDeps => ({
  http: { request: async () => Promise.reject(new Error('no http')) },
  lambda: { invoke: async () => ({}) },
  expressions: { evaluate: async () => undefined },
  commands,
});

async function failure(promise: Promise<unknown>): Promise<RunnerFailure> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RunnerFailure);
  return error as RunnerFailure;
}

describe('the executor table', () => {
  it('has an entry for every node type the registry knows, and nothing else', () => {
    expect(Object.keys(NODE_EXECUTORS).toSorted()).toEqual([...NODE_TYPE_NAMES]);
  });

  it('each task type can execute; structural and native types answer only their own actions', () => {
    expect(Object.keys(NODE_EXECUTORS.choice)).toEqual(['choose']);
    expect(Object.keys(NODE_EXECUTORS.map)).toEqual(['resolve_items']);
    expect(Object.keys(NODE_EXECUTORS.wait)).toEqual(['resolve_wait']);
    expect(Object.keys(NODE_EXECUTORS.fail)).toEqual(['fail']);
    expect(Object.keys(NODE_EXECUTORS.parallel)).toEqual([]);
    for (const t of ['http.request', 'webhook', 'transform', 'lambda', 'pass', 'generic', 'ci', 'etl', 'fetch_data'] as const) expect(NODE_EXECUTORS[t].execute, t).toBeTypeOf('function');
  });
});

describe('generic', () => {
  it('splits the command line with quoting and no expansion, appends args, passes environment and the default timeout', async () => {
    const commands = new FakeCommands(() => ({ stdout: 'ok\n', durationMs: 40 }));
    const { result } = await runAction(
      request('generic', { command: `python "my script.py" '$HOME'`, args: ['--input', '{{input.file}}'], environment: { PYTHONPATH: '/opt/scripts', STAGE: '{{input.env}}' } }),
      context().ctx,
      deps(commands),
    );
    expect(commands.specs).toEqual([
      { argv: ['python', 'my script.py', '$HOME', '--input', 'data.csv'], env: { PYTHONPATH: '/opt/scripts', STAGE: 'staging' }, timeoutMs: 3_600_000, maxOutputBytes: 65_536, signal: expect.any(AbortSignal) },
    ]);
    expect(result).toEqual({ action: 'execute', output: { exit_code: 0, stdout: 'ok\n', stderr: '', duration_ms: 40 }, summary: { exit_code: 0, duration_ms: 40 } });
  });

  it('a secret reaches the command as an environment value and is masked in the output, logs and failures', async () => {
    const commands = new FakeCommands((spec) => ({ exitCode: 2, stdout: `token=${spec.env.TOKEN}`, stderr: `bad ${spec.env.TOKEN}` }));
    const { ctx, logs } = context();
    const error = await failure(runAction(request('generic', { command: 'deploy', environment: { TOKEN: '{{secrets.TOKEN}}' }, timeout: '30s' }), ctx, deps(commands)));
    expect(commands.specs[0]).toMatchObject({ env: { TOKEN }, timeoutMs: 30_000 });
    expect(error).toMatchObject({ name: 'Stepwise.CommandFailed', retryable: true, message: 'command exited with code 2: bad ***', details: { exit_code: 2, signal: null } });
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
    expect(logs.find((l) => l.message === 'Command output')?.data).toEqual({ stdout: 'token=***', stderr: 'bad ***' });
  });

  it('a timeout is a retryable Stepwise.CommandTimeout; a cancel is Stepwise.Cancelled; a missing program is non-retryable', async () => {
    const timedOut = await failure(runAction(request('generic', { command: 'sleep 60', timeout: 1 }), context().ctx, deps(new FakeCommands(() => ({ exitCode: null, signal: 'SIGTERM', timedOut: true, stderr: 'partial' })))));
    expect(timedOut).toMatchObject({ name: 'Stepwise.CommandTimeout', retryable: true, message: 'command timed out after 1000 ms; its process group was killed', details: { timeout_ms: 1000, stderr_tail: 'partial' } });
    const killed = await failure(runAction(request('generic', { command: 'x' }), context().ctx, deps(new FakeCommands(() => ({ exitCode: null, signal: 'SIGKILL' })))));
    expect(killed.message).toBe('command was killed by SIGKILL');
    const cancel = new AbortController();
    const cancelled = await failure(runAction(request('generic', { command: 'x' }), context(cancel.signal).ctx, deps(new FakeCommands(() => (cancel.abort(), new CommandFailure('aborted', 'the run was cancelled'))))));
    expect(cancelled.name).toBe(RUNNER_ERRORS.cancelled);
    const missing = await failure(runAction(request('generic', { command: 'validate_schema' }), context().ctx, deps(new FakeCommands(() => new CommandFailure('not_found', 'program "validate_schema" was not found')))));
    expect(missing).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'program "validate_schema" was not found' });
  });

  it('a command line a template broke is refused before anything runs', async () => {
    const commands = new FakeCommands();
    const error = await failure(runAction(request('generic', { command: 'echo {{input.file}}' }), { ...context().ctx, input: { file: "it's" } }, deps(commands)));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining("unterminated ' quote") });
    expect(commands.specs).toEqual([]);
  });

  it('the tails are reported as truncated when the runner dropped earlier output', async () => {
    const { result } = await runAction(request('generic', { command: 'yes' }), context().ctx, deps(new FakeCommands(() => ({ stdout: 'y\n', truncated: true }))));
    expect(result).toMatchObject({ output: { exit_code: 0, truncated: true } });
  });
});

describe('ci', () => {
  it('clones repo_url at branch, runs the command with sh -c, passes environment as STEPWISE_ENVIRONMENT, and reports the commit', async () => {
    const commands = new FakeCommands(() => ({ stdout: 'tests passed', commit: 'a'.repeat(40) }));
    const { result } = await runAction(request('ci', { repo_url: 'https://github.com/user/repo.git', command: 'npm test', branch: 'main', environment: '{{input.env}}' }), context().ctx, deps(commands));
    expect(commands.specs).toEqual([
      { argv: ['sh', '-c', 'npm test'], env: { STEPWISE_ENVIRONMENT: 'staging' }, timeoutMs: 3_600_000, maxOutputBytes: 65_536, signal: expect.any(AbortSignal), checkout: { repoUrl: 'https://github.com/user/repo.git', branch: 'main' } },
    ]);
    expect(result).toMatchObject({ output: { exit_code: 0, stdout: 'tests passed', commit: 'a'.repeat(40) } });
  });

  it('a failed checkout is a retryable Stepwise.CommandFailed naming the reason; a branch a template made into an option is refused', async () => {
    const error = await failure(runAction(request('ci', { repo_url: '/nowhere', command: 'true' }), context().ctx, deps(new FakeCommands(() => new CommandFailure('checkout', 'git clone of /nowhere failed')))));
    expect(error).toMatchObject({ name: 'Stepwise.CommandFailed', retryable: true, message: 'git clone of /nowhere failed', details: { reason: 'checkout' } });
    const commands = new FakeCommands();
    const option = await failure(runAction(request('ci', { repo_url: '/r', command: 'true', branch: '{{input.b}}' }), { ...context().ctx, input: { b: '--upload-pack=evil' } }, deps(commands)));
    expect(option).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'branch must resolve to a branch or tag name' });
    expect(commands.specs).toEqual([]);
  });
});

describe('on AWS: prepare_job and record_job (statemachines/jobs.ts)', () => {
  const prepare = (type: NodeType, params: Record<string, unknown>) => runAction({ ...request(type, params), action: 'prepare_job' }, context().ctx, deps());

  it('generic: the argv single-quoted into STEPWISE_ARGV, the node’s environment as PLAINTEXT variables, the timeout in seconds', async () => {
    const { result } = await prepare('generic', { command: `python "my script.py"`, args: ['--input', '{{input.file}}'], environment: { STAGE: '{{input.env}}' }, timeout: '90s' });
    expect(result).toEqual({
      action: 'prepare_job',
      environment: [
        { name: 'STAGE', value: 'staging', type: 'PLAINTEXT' },
        { name: 'STEPWISE_ARGV', value: `'python' 'my script.py' '--input' 'data.csv'`, type: 'PLAINTEXT' },
      ],
      timeout_seconds: 90,
    });
    expect((await prepare('generic', { command: 'x', timeout: '30d' })).result).toMatchObject({ timeout_seconds: 28_800 });
  });

  it('ci: repository, command, branch and environment as the buildspec’s variables; a path is refused on AWS', async () => {
    const { result } = await prepare('ci', { repo_url: 'https://github.com/user/repo.git', command: 'npm test', branch: 'main', environment: 'test' });
    expect(result).toEqual({
      action: 'prepare_job',
      environment: [
        { name: 'STEPWISE_REPO_URL', value: 'https://github.com/user/repo.git', type: 'PLAINTEXT' },
        { name: 'STEPWISE_COMMAND', value: 'npm test', type: 'PLAINTEXT' },
        { name: 'STEPWISE_BRANCH', value: 'main', type: 'PLAINTEXT' },
        { name: 'STEPWISE_ENVIRONMENT', value: 'test', type: 'PLAINTEXT' },
      ],
      timeout_seconds: 3600,
    });
    expect(await failure(prepare('ci', { repo_url: '{{input.file}}', command: 'make' }))).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'repo_url must resolve to an https:// or ssh repository URL on AWS' });
  });

  it('never puts a secret into the variables (they are execution history), nor lets the node shadow the buildspec’s own', async () => {
    expect(await failure(prepare('generic', { command: 'x', environment: { T: '{{secrets.TOKEN}}' } }))).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining('cannot take a secret') });
    expect(await failure(prepare('generic', { command: 'x', environment: { STEPWISE_ARGV: 'evil' } }))).toMatchObject({ message: expect.stringContaining('STEPWISE_ARGV: names starting with STEPWISE_ or CODEBUILD_ are reserved') });
  });

  const LOG = { GroupName: '/aws/codebuild/p', StreamName: 's1', DeepLink: 'https://console/x' };
  const logLines = ['[Container] 2026/12/02 16:00:00 Running command eval "$STEPWISE_ARGV"', 'STEPWISE_COMMIT=' + 'c'.repeat(40), 'checking data.csv', 'warning: slow', '[Container] 2026/12/02 16:00:01 Phase complete: BUILD State: SUCCEEDED'];
  const reads: { groupName: string; streamName: string }[] = [];
  const jobLogs: JobLogs = {
    async tail(location) {
      reads.push(location);
      return { lines: logLines, truncated: false };
    },
  };
  const record = (extra: Partial<TaskRunnerRequest>, type: NodeType = 'generic', logs: JobLogs | undefined = jobLogs) =>
    runAction({ ...request(type, {}), action: 'record_job', ...extra }, context().ctx, { ...deps(), jobLogs: logs });

  it('record_job: a finished build is the output — the command’s own log lines as stdout, exit 0, duration, build id and log location', async () => {
    const { result } = await record({ build: { Id: 'p:1', BuildStatus: 'SUCCEEDED', StartTime: 1_800_000_000, EndTime: 1_800_000_004.5, Logs: LOG } });
    expect(reads).toEqual([{ groupName: '/aws/codebuild/p', streamName: 's1' }]);
    expect(result).toEqual({
      action: 'execute',
      output: { exit_code: 0, stdout: 'checking data.csv\nwarning: slow\n', stderr: '', duration_ms: 4500, build_id: 'p:1', logs: { group_name: '/aws/codebuild/p', stream_name: 's1', deep_link: 'https://console/x' } },
      summary: { exit_code: 0, duration_ms: 4500 },
    });
    const ci = await record({ build: { Id: 'p:2', BuildStatus: 'SUCCEEDED', Logs: LOG } }, 'ci');
    expect(ci.result).toMatchObject({ output: { commit: 'c'.repeat(40), stdout: 'checking data.csv\nwarning: slow\n' } });
  });

  it('record_job: an unreadable log leaves stdout empty (the log location still says where), it does not fail the node', async () => {
    const broken: JobLogs = { tail: async () => Promise.reject(new Error('AccessDeniedException')) };
    const { result } = await record({ build: { Id: 'p:3', BuildStatus: 'SUCCEEDED', Logs: LOG } }, 'generic', broken);
    expect(result).toMatchObject({ output: { exit_code: 0, stdout: '', build_id: 'p:3', logs: { stream_name: 's1' } } });
    expect((await record({ build: { Id: 'p:4', BuildStatus: 'SUCCEEDED' } }, 'generic', undefined)).result).toMatchObject({ output: { stdout: '', logs: { group_name: null } } });
  });

  it('record_job: a failed build fails the node (not retried again) with the exit code and the log tail; a timeout is Stepwise.CommandTimeout', async () => {
    const cause = JSON.stringify({ Build: { Id: 'p:2', BuildStatus: 'FAILED', Logs: LOG, Phases: [{ PhaseType: 'BUILD', Contexts: [{ Message: 'Error while executing command: eval "$STEPWISE_ARGV". Reason: exit status 3' }] }] } });
    expect(await failure(record({ build_error: { Error: 'States.TaskFailed', Cause: cause } }))).toMatchObject({
      name: 'Stepwise.CommandFailed',
      retryable: false,
      message: 'command exited with code 3 in CodeBuild build p:2: checking data.csv\nwarning: slow',
      details: { exit_code: 3, build_id: 'p:2' },
    });
    expect(await failure(record({ build_error: { Error: 'States.Timeout', Cause: '' } }))).toMatchObject({ name: 'Stepwise.CommandTimeout', retryable: false });
    expect(await failure(record({ build_error: { Error: 'CodeBuild.AccessDeniedException', Cause: 'not json' } }))).toMatchObject({ name: 'Stepwise.CommandFailed', message: 'command failed (CodeBuild.AccessDeniedException)' });
    expect(await failure(record({}))).toMatchObject({ name: RUNNER_ERRORS.nonRetryable });
  });
});
