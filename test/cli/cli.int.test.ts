import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { runInProcess } from './in-process.ts';
import { eventually } from '../support/polling.ts';

/**
 * The real `stepwise` bin (bin/stepwise.js, as `npx stepwise` runs it) against the shared local
 * server, in a child process with its own config directory. Each describe signs in as its own
 * account, so no session nears the per-credential rate limit.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'stepwise.js');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cliEnv(configHome: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(STEPWISE_|FORCE_COLOR|NO_COLOR)/.test(k)) env[k] = v;
  for (const [k, v] of Object.entries({ STEPWISE_API_URL: inject('baseUrl'), XDG_CONFIG_HOME: configHome, ...extra })) if (v !== undefined) env[k] = v;
  return env;
}

function stepwise(args: string[], options: { configHome: string; input?: string; env?: Record<string, string | undefined>; cwd?: string }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: cliEnv(options.configHome, options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * A child process per command cost about a second each: commands run in this process. The bin
 * itself still runs every `login`, and every command that reads files relative to its working directory.
 */
const inProcess = (args: string[], options: { configHome: string; input?: string; env?: Record<string, string | undefined> }): Promise<Ran> =>
  runInProcess(args, { env: cliEnv(options.configHome, options.env), ...(options.input === undefined ? {} : { input: options.input }) });

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** A config home with a signed-in session (through the real `login`, password from stdin). */
async function signedIn(prefix: string) {
  const account = await newAccount(prefix);
  const configHome = tmp('stepwise-cli-home-');
  const login = await stepwise(['login'], { configHome, input: `${account.username}\n${account.password}\n` });
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  const run = (args: string[], options: { input?: string; env?: Record<string, string | undefined>; cwd?: string } = {}) =>
    options.cwd ? stepwise(args, { configHome, ...options }) : inProcess(args, { configHome, ...options });
  return { ...account, configHome, run, login };
}

const GREETER = `metadata:
  name: Greeter
  description: Says hello, then shouts and counts it
nodes:
  greet:
    type: transform
    params:
      expression: '"Hello, " & input.name'
    next: [shout, count]
  shout:
    type: transform
    params:
      expression: '$uppercase(steps.greet.output)'
    next: done
  count:
    type: transform
    params:
      expression: '$length(steps.greet.output)'
    next: done
  done:
    type: transform
    params:
      expression: 'steps.shout.output & " (" & $string(steps.count.output) & ")"'
`;

const BREAKS = JSON.stringify({
  name: 'Breaks',
  tasks: [
    { name: 'prepare', type: 'transform', payload: { expression: '1' }, max_retries: 0 },
    { name: 'explode', type: 'transform', payload: { expression: '$error("boom")' }, dependencies: ['prepare'], max_retries: 0 },
    { name: 'after', type: 'pass', dependencies: ['explode'] },
  ],
});

describe('stepwise CLI (end to end, the real bin)', () => {
  describe('login, whoami, logout', () => {
    it('login reads the username and password from stdin and keeps the session in $XDG_CONFIG_HOME/stepwise, mode 0600', async () => {
      const user = await signedIn('clilogin');
      expect(user.login.stdout).toContain(`signed in to ${inject('baseUrl')} as ${user.username}`);
      // Neither the password nor the tokens are printed.
      expect(user.login.stdout + user.login.stderr).not.toContain(user.password);
      const file = join(user.configHome, 'stepwise', 'config.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(user.configHome, 'stepwise')).mode & 0o777).toBe(0o700);
      const stored = JSON.parse(readFileSync(file, 'utf8')).sessions[inject('baseUrl')];
      expect(stored).toMatchObject({ token: expect.any(String), refresh_token: expect.stringMatching(/^rt_/), username: user.username, account_id: user.accountId });
      expect(user.login.stdout).not.toContain(stored.token);

      const whoami = await user.run(['whoami', '--json']);
      expect(whoami.code).toBe(0);
      expect(JSON.parse(whoami.stdout)).toMatchObject({ username: user.username, account_id: user.accountId, role: 'admin', credential: 'login' });

      // An access token the API refuses is refreshed with the stored refresh token, and the new pair stored.
      const config = JSON.parse(readFileSync(file, 'utf8'));
      config.sessions[inject('baseUrl')].token = `${stored.token.slice(0, -4)}AAAA`;
      writeFileSync(file, JSON.stringify(config));
      const again = await user.run(['whoami', '--json']);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout).username).toBe(user.username);
      const refreshed = JSON.parse(readFileSync(file, 'utf8')).sessions[inject('baseUrl')];
      expect(refreshed.token).not.toBe(stored.token);
      expect(refreshed.refresh_token).not.toBe(stored.refresh_token);
      expect(statSync(file).mode & 0o777).toBe(0o600);

      const logout = await user.run(['logout']);
      expect(logout.code).toBe(0);
      expect(JSON.parse(readFileSync(file, 'utf8')).sessions[inject('baseUrl')]).toBeUndefined();
      const after = await user.run(['whoami']);
      expect(after.code).toBe(1);
      expect(after.stderr).toContain('run `stepwise login`');
      // The server ended the session too: its refresh token is refused.
      const refresh = await fetch(`${inject('baseUrl')}/api/v1/auth/refresh`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: refreshed.refresh_token }) });
      expect(refresh.status).toBe(401);
    });

    it('a wrong password prints the API’s message and exits 1; STEPWISE_API_KEY and STEPWISE_TOKEN work without a login', async () => {
      const account = await newAccount('clienv');
      const configHome = tmp('stepwise-cli-home-');
      const wrong = await stepwise(['login', '--username', account.username], { configHome, input: 'not the password\n' });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/error: .*Invalid username or password.*\(401 unauthorized, req_/i);

      const key = await account.client.post('/api/v1/api-keys', { name: 'cli', scopes: ['tasks:read', 'tasks:write'] });
      expect(key.status).toBe(201);
      const viaKey = await stepwise(['whoami', '--json'], { configHome, env: { STEPWISE_API_KEY: key.body.key } });
      expect(viaKey.code).toBe(0);
      expect(JSON.parse(viaKey.stdout)).toMatchObject({ username: account.username, credential: 'STEPWISE_API_KEY' });
      const viaToken = await stepwise(['tasks', 'add', 'From a script', '--json'], { configHome, env: { STEPWISE_TOKEN: account.token } });
      expect(viaToken.code).toBe(0);
      expect(JSON.parse(viaToken.stdout)).toMatchObject({ name: 'From a script', status: 'pending' });
    });
  });

  describe('tasks', () => {
    it('add, ls (text and --json), done, rm; a bad field is the API’s message and field, exit 1', async () => {
      const user = await signedIn('clitasks');
      const added = await user.run(['tasks', 'add', 'Review documentation', '--priority', 'high', '--due', '2030-12-31T23:59:59Z', '--tag', 'docs,api', '--json']);
      expect(added.code).toBe(0);
      const task = JSON.parse(added.stdout);
      expect(task).toMatchObject({ name: 'Review documentation', priority: 'high', tags: ['docs', 'api'], due_date: '2030-12-31T23:59:59.000Z' });

      const ls = await user.run(['tasks', 'ls']);
      expect(ls.code).toBe(0);
      expect(ls.stdout).not.toContain('\u001b');
      expect(ls.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+PRIORITY\s+DUE\s+NAME$/);
      expect(ls.stdout).toMatch(new RegExp(`${task.id}\\s+pending\\s+high\\s+2030-12-31 23:59:59\\s+Review documentation`));

      expect((await user.run(['tasks', 'done', task.id])).stdout).toContain(`completed ${task.id}`);
      const completed = JSON.parse((await user.run(['tasks', 'ls', '--status', 'completed', '--json'])).stdout);
      expect(completed.map((t: { id: string }) => t.id)).toEqual([task.id]);
      expect((await user.run(['tasks', 'ls', '-q'])).stdout.trim()).toBe(task.id);

      const bad = await user.run(['tasks', 'add', 'Later', '--due', 'tomorrow']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/error: due_date: .* field: due_date \(400 validation_error, req_/);
      const badJson = await user.run(['tasks', 'add', 'Later', '--due', 'tomorrow', '--json']);
      expect(JSON.parse(badJson.stderr)).toMatchObject({ status: 400, error: { code: 'validation_error', field: 'due_date' } });

      expect((await user.run(['tasks', 'rm', task.id])).code).toBe(0);
      const gone = await user.run(['tasks', 'done', task.id]);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toContain('404 not_found');
    });
  });

  describe('workflows and runs', () => {
    let user: Awaited<ReturnType<typeof signedIn>>;
    let dir: string;

    beforeAll(async () => {
      user = await signedIn('cliflows');
      dir = tmp('stepwise-cli-flows-');
      writeFileSync(join(dir, 'greeter.yaml'), GREETER);
      writeFileSync(join(dir, 'breaks.json'), BREAKS);
      writeFileSync(join(dir, 'input.json'), JSON.stringify({ name: 'Ada' }));
      writeFileSync(join(dir, 'bad.yaml'), 'metadata:\n  name: Bad\nnodes:\n  a:\n    type: transform\n    params:\n      expresion: "1"\n    next: b\n  b:\n    type: nosuch\n    next: a\n');
    });

    it('validate prints each issue with its node and path and exits 1; a valid file exits 0', async () => {
      const bad = await user.run(['workflows', 'validate', '-f', 'bad.yaml'], { cwd: dir });
      expect(bad.code).toBe(1);
      const lines = bad.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^✖ bad\.yaml is invalid: \d+ issues$/);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ {2}✖ node a · definition\.nodes\.a\.params\.expresion: .*unknown field.* \(invalid_params\)$/),
          expect.stringMatching(/^ {2}✖ node b · definition\.nodes\.b\.type: .*unknown type "nosuch".* \(unknown_type\)$/),
          expect.stringMatching(/^ {2}✖ node a · definition\.nodes\.a\.next: cycle: a → b → a.* \(cycle\)$/),
        ]),
      );
      const json = await user.run(['workflows', 'validate', '-f', 'bad.yaml', '--json'], { cwd: dir });
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout).issues).toEqual(expect.arrayContaining([expect.objectContaining({ node: 'b', code: 'unknown_type', field: 'definition.nodes.b.type' })]));
      const good = await user.run(['workflows', 'validate', '-f', 'greeter.yaml'], { cwd: dir });
      expect(good.code).toBe(0);
      expect(good.stdout).toContain('✔ greeter.yaml is valid (flowrunner, 4 top-level nodes)');
    });

    it('apply creates a YAML flow, then publishes the next version of the same name; ls, show and graph describe it', async () => {
      const created = await user.run(['workflows', 'apply', '-f', 'greeter.yaml', '--json'], { cwd: dir });
      expect(created.code).toBe(0);
      const wf = JSON.parse(created.stdout);
      expect(wf).toMatchObject({ name: 'Greeter', dialect: 'flowrunner', published_version: 1, definition: GREETER });
      const updated = await user.run(['workflows', 'apply', '-f', 'greeter.yaml'], { cwd: dir });
      expect(updated.stdout).toContain(`✔ updated ${wf.id} Greeter (flowrunner, version 2)`);

      const ls = JSON.parse((await user.run(['workflows', 'ls', '--json'])).stdout);
      expect(ls.map((w: { id: string; published_version: number }) => [w.id, w.published_version])).toEqual([[wf.id, 2]]);
      const show = await user.run(['workflows', 'show', 'Greeter']);
      expect(show.stdout).toMatch(/^Greeter wf_/);
      expect(show.stdout).toMatch(/shout\s+transform\s+greet\s+2\s+-/);

      const graph = await user.run(['workflows', 'graph', wf.id]);
      expect(graph.code).toBe(0);
      expect(graph.stdout.trim().split('\n')).toEqual(['Greeter · flowrunner · 4 nodes', '', '1  greet  transform', '2  shout  transform  ← greet', '   count  transform  ← greet', '3  done   transform  ← shout, count']);
    });

    it('run --watch shows each node’s state changes live, a progress bar and a summary, and exits 0 when the run completes', async () => {
      const run = await user.run(['run', 'Greeter', '--input', '@input.json', '--watch'], { cwd: dir });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^Greeter wf_\w+ · version 2 → exec_\w+$/);
      const nodeLines = lines.filter((l) => /^ {2}[▸✔✖↻○■] /.test(l));
      const states = nodeLines.map((l) => l.trim().split(/\s+/).slice(1, 4).join(' '));
      // One line per state change: each node starts, then completes; greet first, done last.
      expect(states.toSorted()).toEqual(['count transform completed', 'count transform running', 'done transform completed', 'done transform running', 'greet transform completed', 'greet transform running', 'shout transform completed', 'shout transform running']);
      expect(states[0]).toBe('greet transform running');
      expect(states.at(-1)).toBe('done transform completed');
      for (const node of ['greet', 'shout', 'count', 'done']) expect(states.indexOf(`${node} transform running`)).toBeLessThan(states.indexOf(`${node} transform completed`));
      expect(lines).toContain('[████████████████████████] 4/4 nodes');
      expect(lines.at(-2)).toMatch(/^✔ completed in [\d.]+m?s · 4 nodes: 4 completed · exec_\w+$/);
      expect(lines.at(-1)).toBe('result: "HELLO, ADA (10)"');
    });

    it('a failing run exits 1 with the failed node’s line and error, and its logs say why', async () => {
      expect((await user.run(['workflows', 'apply', '-f', 'breaks.json'], { cwd: dir })).code).toBe(0);
      const run = await user.run(['run', 'Breaks', '--watch']);
      expect(run.code).toBe(1);
      const lines = run.stdout.trim().split('\n');
      expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^ {2}✔ prepare\s+transform\s+completed/), expect.stringMatching(/^ {2}✖ explode\s+transform\s+failed\s+transform expression failed: boom/)]));
      expect(lines.filter((l) => /explode\s+transform\s+failed/.test(l))).toHaveLength(1);
      expect(lines.some((l) => /after/.test(l))).toBe(false);
      expect(lines).toContain('[████████████████░░░░░░░░] 2/3 nodes');
      expect(run.stdout).toMatch(/✖ failed in [\d.]+m?s · 3 nodes: 1 pending, 1 completed, 1 failed · (exec_\w+)\n {2}Node 'explode' \(transform\) failed: transform expression failed: boom/);
      const executionId = /· (exec_\w+)\n/.exec(run.stdout)![1]!;

      const logs = await user.run(['executions', 'logs', executionId]);
      expect(logs.code).toBe(0);
      const messages = logs.stdout.trim().split('\n');
      expect(messages[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}Execution started$/);
      expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/INFO {2}\[prepare\] Task completed/), expect.stringMatching(/ERROR \[explode\] Task failed: transform expression failed: boom/)]));
      expect(messages.at(-1)).toMatch(/ERROR \[explode\] Execution failed/);
      const errorsOnly = JSON.parse(`[${(await user.run(['executions', 'logs', executionId, '--level', 'error', '--json'])).stdout.trim().split('\n').join(',')}]`);
      expect(errorsOnly.map((l: { level: string }) => l.level)).toEqual(['error', 'error']);

      const show = await user.run(['executions', 'show', executionId, '--json']);
      expect(JSON.parse(show.stdout)).toMatchObject({ id: executionId, status: 'failed', failed_node: 'explode' });
      const listed = JSON.parse((await user.run(['executions', 'ls', '--workflow', 'Breaks', '--json'])).stdout);
      expect(listed.map((e: { id: string }) => e.id)).toEqual([executionId]);

      // A redrive runs the failed node again (and fails again): exit 1, the node's new attempt shown.
      const retried = await user.run(['executions', 'retry', executionId, '--watch']);
      expect(retried.code).toBe(1);
      expect(retried.stdout).toMatch(/\(redrive 1\)/);
      expect(retried.stdout).toMatch(/ {2}▸ explode\s+transform\s+running\n {2}✖ explode\s+transform\s+failed/);
    });

    it('logs --follow prints lines as the run writes them and exits when it ends; --json streams parse', async () => {
      const slow = JSON.stringify({ name: 'Slow', tasks: [{ name: 'first', type: 'transform', payload: { expression: '1' } }, { name: 'pause', type: 'wait', payload: { seconds: 2 }, dependencies: ['first'] }, { name: 'last', type: 'transform', payload: { expression: '2' }, dependencies: ['pause'] }] });
      writeFileSync(join(dir, 'slow.json'), slow);
      expect((await user.run(['workflows', 'apply', '-f', 'slow.json'], { cwd: dir })).code).toBe(0);
      const started = await user.run(['run', 'Slow', '-q']);
      const executionId = started.stdout.trim();
      expect(executionId).toMatch(/^exec_\w+$/);
      const follow = await user.run(['executions', 'logs', executionId, '--follow']);
      expect(follow.code).toBe(0);
      const messages = follow.stdout.trim().split('\n').map((l) => l.replace(/^\S+ \S+ +/, ''));
      expect(messages[0]).toBe('Execution started');
      expect(messages.at(-1)).toMatch(/^Execution completed/);
      // The wait is a native state: only the runner nodes log.
      expect(messages.filter((m) => /\[(first|last)\] Task completed/.test(m))).toHaveLength(2);
      expect(messages.findIndex((m) => m.startsWith('[first] Task completed'))).toBeLessThan(messages.findIndex((m) => m.startsWith('[last] Task started')));
      expect(new Set(messages).size).toBe(messages.length);

      const watched = await user.run(['run', 'Slow', '--watch', '--json']);
      expect(watched.code).toBe(0);
      const events = watched.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(events[0]).toEqual({ type: 'transport', transport: 'websocket' });
      expect(events.at(-1)).toMatchObject({ type: 'end', execution: { status: 'completed', result: 2 } });
      const completed = events.filter((e) => e.type === 'node' && e.status === 'completed').map((e) => e.nodeId);
      // Every node is reported; a native wait state sends no live message of its own, so it comes from the final record.
      expect(completed.toSorted()).toEqual(['first', 'last', 'pause']);
      expect(completed.indexOf('first')).toBeLessThan(completed.indexOf('last'));

      expect((await user.run(['workflows', 'rm', 'Slow'])).code).toBe(0);
      expect((await user.run(['workflows', 'show', 'Slow'])).stderr).toContain('No workflow named "Slow"');
    });

    it('cancel stops a running run; watching it then exits 1', async () => {
      writeFileSync(join(dir, 'long.json'), JSON.stringify({ name: 'Long', tasks: [{ name: 'hold', type: 'wait', payload: { seconds: 300 } }] }));
      expect((await user.run(['workflows', 'apply', '-f', 'long.json'], { cwd: dir })).code).toBe(0);
      const started = await user.run(['run', 'Long', '--json']);
      const { execution_id: executionId } = JSON.parse(started.stdout);
      expect(JSON.parse(started.stdout)).toMatchObject({ status: 'running', execution_id: expect.stringMatching(/^exec_/) });
      const cancelled = await user.run(['executions', 'cancel', executionId, '--json']);
      expect(cancelled.code).toBe(0);
      expect(JSON.parse(cancelled.stdout)).toMatchObject({ message: expect.any(String) });
      const watched = await user.run(['executions', 'watch', executionId]);
      expect(watched.code).toBe(1);
      expect(watched.stdout).toMatch(/^■ cancelled/m);
      const again = await user.run(['executions', 'cancel', executionId]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('409 conflict');
    });
  });

  describe('secrets', () => {
    it('set reads the value from stdin and never prints it; ls lists keys only; rm deletes', async () => {
      const user = await signedIn('clisecret');
      const value = `sk_live_${Math.random().toString(36).slice(2)}_value`;
      const set = await user.run(['secrets', 'set', 'PAYMENT_KEY'], { input: `${value}\n` });
      expect(set.code).toBe(0);
      expect(set.stdout).toContain('created secret PAYMENT_KEY');
      const replaced = await user.run(['secrets', 'set', 'PAYMENT_KEY', '--json'], { input: `${value}-2` });
      expect(replaced.code).toBe(0);
      expect(JSON.parse(replaced.stdout)).toEqual({ key: 'PAYMENT_KEY', created_at: expect.any(String), updated_at: expect.any(String) });
      const ls = await user.run(['secrets', 'ls']);
      const lsJson = await user.run(['secrets', 'ls', '--json']);
      expect(JSON.parse(lsJson.stdout).map((s: { key: string }) => s.key)).toEqual(['PAYMENT_KEY']);
      const tooShort = await user.run(['secrets', 'set', 'SHORT'], { input: 'abc' });
      expect(tooShort.code).toBe(1);
      expect(tooShort.stderr).toContain('field: value');
      const empty = await user.run(['secrets', 'set', 'EMPTY']);
      expect(empty.code).toBe(2);
      for (const r of [set, replaced, ls, lsJson, tooShort]) {
        expect(r.stdout + r.stderr).not.toContain(value);
        expect(r.stdout + r.stderr).not.toContain('abc');
      }
      // The value really is the one piped in: the account's secret resolves to it (the list never shows it).
      expect((await user.client.get(`/api/v1/accounts/${user.accountId}/secrets`)).body.secrets.map((s: { key: string }) => s.key)).toEqual(['PAYMENT_KEY']);
      expect((await user.run(['secrets', 'rm', 'PAYMENT_KEY'])).code).toBe(0);
      expect(JSON.parse((await user.run(['secrets', 'ls', '--json'])).stdout)).toEqual([]);
    });
  });

  describe('approvals', () => {
    it('ls lists the pending approval; approve decides it and the run completes; reject of another fails it; a second decision exits non-zero', async () => {
      const user = await signedIn('cliappr');
      const wf = await user.client.post('/api/v1/workflows', {
        name: 'cli approval',
        tasks: [{ name: 'gate', type: 'approval', payload: { message: 'Ship it?' } }],
      });
      const start = async () => {
        const id = (await user.client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: {} })).body.execution_id as string;
        await eventually(async () => (await user.client.get(`/api/v1/executions/${id}`)).body, (b) => b.waiting_nodes?.includes('gate'));
        return id;
      };
      const first = await start();
      const ls = await user.run(['approvals', 'ls']);
      expect(ls.code).toBe(0);
      expect(ls.stdout).toMatch(new RegExp(`${first}\\s+gate\\s+.*Ship it\\?`));
      expect((await user.run(['approvals', 'ls', '-q', '--execution', first])).stdout.trim()).toBe(`${first} gate`);

      const approved = await user.run(['approvals', 'approve', first, 'gate', '-m', 'lgtm']);
      expect(approved.code).toBe(0);
      expect(approved.stdout).toContain(`approved gate of ${first}: lgtm`);
      await eventually(async () => (await user.client.get(`/api/v1/executions/${first}`)).body.status, (s) => s === 'completed');
      const again = await user.run(['approvals', 'reject', first, 'gate']);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain('already decided');

      const second = await start();
      const rejected = await user.run(['approvals', 'reject', second, 'gate', '--json']);
      expect(JSON.parse(rejected.stdout)).toMatchObject({ decision: 'reject', decided_by: user.userId });
      await eventually(async () => (await user.client.get(`/api/v1/executions/${second}`)).body, (b) => b.status === 'failed' && b.failed_node === 'gate');
      expect((await user.run(['approvals', 'ls', '--json'])).stdout.trim()).toBe('[]');
    }, 180_000);
  });

  describe('webhooks', () => {
    let receiver: Server;
    let received: string[];

    beforeAll(async () => {
      received = [];
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          received.push(body);
          res.writeHead(200).end('ok');
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    });
    afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

    it('add prints the secret once; test pings; deliveries and replay show what was sent', async () => {
      const user = await signedIn('clihook');
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const added = await user.run(['webhooks', 'add', url, '--event', 'workflow.completed', '--event', 'workflow.failed', '--json']);
      expect(added.code).toBe(0);
      const hook = JSON.parse(added.stdout);
      expect(hook).toMatchObject({ url, events: ['workflow.completed', 'workflow.failed'], secret: expect.stringMatching(/^whsec_/) });
      const ls = await user.run(['webhooks', 'ls']);
      expect(ls.stdout).toMatch(new RegExp(`${hook.id}\\s+active\\s+workflow.completed,workflow.failed\\s+${url}`));
      expect(ls.stdout).not.toContain(hook.secret);

      const ping = await user.run(['webhooks', 'test', hook.id, '--json']);
      expect(ping.code).toBe(0);
      const delivery = JSON.parse(ping.stdout);
      await eventually(async () => received.length, (n) => n >= 1);
      const delivered = await eventually(
        async () => JSON.parse((await user.run(['webhooks', 'deliveries', hook.id, '--json'])).stdout),
        (d: any[]) => d[0]?.status !== 'pending',
      );
      expect(delivered.map((d: { id: string; status: string; event: string }) => [d.id, d.event, d.status])).toEqual([[delivery.id, 'webhook.test', 'delivered']]);
      const replay = await user.run(['webhooks', 'replay', hook.id, delivery.id]);
      expect(replay.code).toBe(0);
      expect(replay.stdout).toContain(`replaying ${delivery.id} (webhook.test)`);
      await eventually(async () => received.length, (n) => n >= 2);
      expect(received.map((b) => JSON.parse(b).event)).toEqual(['webhook.test', 'webhook.test']);
      const missing = await user.run(['webhooks', 'add', url]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('give at least one --event');
    });
  });
});
