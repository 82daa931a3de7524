import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { eventually, waitForExecution } from '../support/polling.ts';
import { processAlive } from '../../functions/adapters/local/data-dir-lock.ts';

/** generic and ci nodes against the real local server: child processes of the server (docs/api.md, "Jobs"). */
const scratch = mkdtempSync(join(tmpdir(), 'stepwise-jobs-e2e-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const SECRET = 'jobs-secret-value-7f3a9c';


describe('jobs: generic and ci nodes run locally', () => {
  let user: Awaited<ReturnType<typeof newAccount>>;
  beforeAll(async () => {
    user = await newAccount('jobs');
    const secret = await user.client.post(`/api/v1/accounts/${user.accountId}/secrets`, { key: 'DEPLOY_TOKEN', value: SECRET });
    if (secret.status !== 201) throw new Error(`could not create the secret: ${secret.status}`);
  });

  const runToEnd = async (body: object, input: object = {}) => {
    const wf = await user.client.post('/api/v1/workflows', body);
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const run = await user.client.post(`/api/v1/workflows/${wf.body.id}/run`, { input });
    expect(run.status).toBe(202);
    return waitForExecution(user.client, run.body.execution_id, undefined, 60_000);
  };

  it('generic: argv with quoting and no expansion, templates, environment and a secret (masked), output {exit_code, stdout, stderr, duration_ms}', async () => {
    const done = await runToEnd(
      {
        name: 'Echo',
        tasks: [
          {
            name: 'say',
            type: 'generic',
            payload: {
              command: `sh -c 'echo "$0 $GREETING $HOME_SET"; echo "token:$DEPLOY_TOKEN"; echo warning >&2' '$HOME'`,
              environment: { GREETING: 'hello {{input.who}}', DEPLOY_TOKEN: '{{secrets.DEPLOY_TOKEN}}', HOME_SET: 'x' },
            },
          },
          { name: 'after', type: 'transform', dependencies: ['say'], payload: { expression: 'steps.say.output' } },
        ],
      },
      { who: 'Ada' },
    );
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.result).toEqual({ exit_code: 0, stdout: '$HOME hello Ada x\ntoken:***\n', stderr: 'warning\n', duration_ms: expect.any(Number) });
    const logs = await user.client.get(`/api/v1/executions/${done.id}/logs`);
    expect(logs.text).not.toContain(SECRET);
    expect(logs.body.logs.find((l: any) => l.message === 'Command output')).toMatchObject({ node_id: 'say', node_type: 'generic', data: { stdout: expect.stringContaining('token:***'), stderr: 'warning\n' } });
    expect(logs.body.logs.find((l: any) => l.message === 'Command finished')).toMatchObject({ node_id: 'say', data: { exit_code: 0, timed_out: false } });
    expect(JSON.stringify(done)).not.toContain(SECRET);
  });

  it('a failing command is retried by the policy, then fails the execution naming the node, the exit code and the stderr tail', async () => {
    const counter = join(scratch, 'attempts');
    const done = await runToEnd({
      name: 'Always failing',
      config: { retry_policy: { max_attempts: 3, initial_delay: '1s', backoff_factor: 1 } },
      tasks: [{ name: 'check', type: 'generic', payload: { command: 'sh -c', args: [`echo try >> ${counter}; echo "schema invalid" >&2; exit 3`] } }],
    });
    expect(done).toMatchObject({ status: 'failed', failed_node: 'check' });
    expect(done.error).toContain("Node 'check'");
    expect(done.error).toContain('command exited with code 3: schema invalid');
    expect(readFileSync(counter, 'utf8')).toBe('try\ntry\ntry\n');
    expect(done.tasks.find((t: any) => t.node_id === 'check')).toMatchObject({ status: 'failed', retry_count: 2, error: 'command exited with code 3: schema invalid' });
  });

  it('the timeout kills the command’s whole process tree and fails the node with Stepwise.CommandTimeout', async () => {
    const pidFile = join(scratch, 'tree.pid');
    const done = await runToEnd({
      name: 'Too slow',
      tasks: [{ name: 'slow', type: 'generic', max_retries: 0, payload: { command: 'sh -c', args: [`sleep 300 & echo $! > ${pidFile}; wait`], timeout: '1s' } }],
    });
    expect(done).toMatchObject({ status: 'failed', failed_node: 'slow' });
    expect(done.error).toContain('command timed out after 1000 ms');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(await eventually(async () => processAlive(grandchild), (a) => !a, { timeoutMs: 15_000 })).toBe(false);
  });

  it('a program that is not there fails at once, without retries, saying so', async () => {
    const done = await runToEnd({ name: 'Missing', tasks: [{ name: 'validate_data', type: 'generic', payload: { command: 'validate_schema_not_installed' } }] });
    expect(done).toMatchObject({ status: 'failed', failed_node: 'validate_data' });
    expect(done.tasks[0]).toMatchObject({ retry_count: 0, error: 'program "validate_schema_not_installed" was not found (PATH or the working folder)' });
  });

  it('ci: clones a repository the test made, at the branch, runs the command with sh -c there, and reports the commit', async () => {
    const repo = join(scratch, 'repo');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { PATH: process.env.PATH, HOME: scratch, GIT_CONFIG_NOSYSTEM: '1' } }).toString().trim();
    execFileSync('git', ['init', '--quiet', '--initial-branch', 'main', repo]);
    writeFileSync(join(repo, 'test.sh'), 'echo "3 tests passed on $STEPWISE_ENVIRONMENT"\n');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'init');
    const sha = git('rev-parse', 'HEAD');
    const done = await runToEnd({ name: 'CI', tasks: [{ name: 'build', type: 'ci', payload: { repo_url: `file://${repo}`, command: 'sh test.sh && ls', branch: 'main', environment: 'test' } }] });
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.result).toEqual({ exit_code: 0, stdout: '3 tests passed on test\ntest.sh\n', stderr: '', duration_ms: expect.any(Number), commit: sha });
    const missing = await runToEnd({ name: 'CI missing branch', tasks: [{ name: 'build', type: 'ci', max_retries: 0, payload: { repo_url: repo, command: 'true', branch: 'nope' } }] });
    expect(missing).toMatchObject({ status: 'failed', failed_node: 'build' });
    expect(missing.error).toContain(`git clone of ${repo} at nope failed`);
  });

  it('bad job params are a 400 naming the field, and nothing is saved', async () => {
    const before = (await user.client.get('/api/v1/workflows')).body.pagination.total;
    for (const [payload, field] of [
      [{ command: `echo 'unterminated` }, 'command'],
      [{ command: 'x', environment: { 'BAD-NAME': 'v' } }, 'BAD-NAME'],
      [{ command: 'curl -H "Authorization: {{secrets.DEPLOY_TOKEN}}"' }, 'command'],
    ] as const) {
      const res = await user.client.post('/api/v1/workflows', { name: 'bad', tasks: [{ name: 'a', type: 'generic', payload }] });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', field: expect.stringContaining(field) });
    }
    const ext = await user.client.post('/api/v1/workflows', { name: 'bad', tasks: [{ name: 'a', type: 'ci', payload: { repo_url: 'ext::sh -c id', command: 'true' } }] });
    expect(ext.status).toBe(400);
    expect(ext.body.error.field).toContain('repo_url');
    expect((await user.client.get('/api/v1/workflows')).body.pagination.total).toBe(before);
  });
});
