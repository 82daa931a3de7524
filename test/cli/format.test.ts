import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Execution } from '../../client/index.ts';
import { bodyOfStored } from '../../cli/commands/workflows.ts';
import { formatLogLine } from '../../cli/commands/executions.ts';
import { ConfigStore, configPath } from '../../cli/config.ts';
import { formatIssue, layersOf, renderGraph, type Graph } from '../../cli/format/graph.ts';
import { progressBar } from '../../cli/format/progress.ts';
import { RunView, summaryLine } from '../../cli/format/run.ts';
import { colorsEnabled, createStyle, stripAnsi, visibleLength } from '../../cli/format/style.ts';
import { formatTable } from '../../cli/format/table.ts';
import { formatDuration, formatInstant } from '../../cli/format/time.ts';
import { workflowBodyFromFile } from '../../cli/input.ts';
import { runInProcess } from './in-process.ts';

const plain = createStyle(false);
const colored = createStyle(true);

describe('colours', () => {
  it('only on a terminal, never with NO_COLOR or TERM=dumb, FORCE_COLOR deciding over both', () => {
    expect(colorsEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorsEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorsEnabled({}, { CI: 'true' })).toBe(false);
    expect(colorsEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorsEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorsEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorsEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorsEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('measures text without its escape sequences', () => {
    expect(colored.green('done')).not.toBe('done');
    expect(visibleLength(colored.green('done'))).toBe(4);
    expect(stripAnsi(colored.bold(colored.red('x')))).toBe('x');
    expect(visibleLength('✔ ░█')).toBe(4);
  });
});

describe('formatTable', () => {
  it('pads columns to the widest cell (escape sequences not counted), right-aligns numbers, leaves the last column unpadded', () => {
    const rows = [
      { id: 'task_1', n: 5, name: 'Short' },
      { id: 'task_22', n: 120, name: 'A longer name' },
    ];
    const text = formatTable(rows, [
      { header: 'ID', value: (r) => colored.green(r.id) },
      { header: 'N', value: (r) => String(r.n), right: true },
      { header: 'NAME', value: (r) => r.name },
    ]);
    expect(stripAnsi(text).split('\n')).toEqual(['ID         N  NAME', 'task_1     5  Short', 'task_22  120  A longer name']);
  });

  it('cuts a cell at its first line break, so one row stays one line', () => {
    expect(formatTable([{ a: 'one\ntwo' }], [{ header: 'A', value: (r) => r.a }])).toBe('A\none');
  });
});

describe('time and progress', () => {
  it('formats durations and instants', () => {
    expect([formatDuration(0), formatDuration(850), formatDuration(12_340), formatDuration(245_000), formatDuration(7_380_000), formatDuration(-1)]).toEqual(['0ms', '850ms', '12.3s', '4m 05s', '2h 03m', '-']);
    expect(formatInstant('2026-03-01T10:00:01.123Z')).toBe('2026-03-01 10:00:01');
    expect(formatInstant(null)).toBe('-');
  });

  it('draws a bar that is never more than full', () => {
    expect(progressBar(0, 4, 8)).toBe('[░░░░░░░░] 0/4 nodes');
    expect(progressBar(2, 4, 8)).toBe('[████░░░░] 2/4 nodes');
    expect(progressBar(9, 4, 8)).toBe('[████████] 4/4 nodes');
    expect(progressBar(0, 0, 4)).toBe('[░░░░] 0/0 nodes');
  });
});

const execution = (over: Partial<Execution>): Execution =>
  ({
    id: 'exec_1',
    execution_id: 'exec_1',
    status: 'completed',
    duration_ms: 1234,
    started_at: '2026-01-01T00:00:00.000Z',
    completed_at: '2026-01-01T00:00:01.234Z',
    error: null,
    result: 'Hello, Ada',
    task_summary: { total: 2, pending: 0, running: 0, retrying: 0, waiting: 0, completed: 2, failed: 0, cancelled: 0, skipped: 0 },
    ...over,
  }) as Execution;

describe('RunView (run --watch)', () => {
  const nodes = [
    { id: 'greet', type: 'transform' },
    { id: 'notify', type: 'http.request' },
  ];

  it('prints one line per state change, then the bar and the summary (no escape sequences off a terminal)', () => {
    let out = '';
    const view = new RunView({ style: plain, live: false, nodes, write: (t) => (out += t) });
    view.handle({ type: 'transport', transport: 'websocket' });
    view.handle({ type: 'status', status: 'running', at: '2026-01-01T00:00:00.000Z' });
    view.handle({ type: 'node', nodeId: 'greet', nodeType: 'transform', status: 'running', at: '2026-01-01T00:00:00.100Z' });
    view.handle({ type: 'node', nodeId: 'greet', nodeType: 'transform', status: 'completed', at: '2026-01-01T00:00:00.350Z' });
    view.handle({ type: 'node', nodeId: 'notify', nodeType: 'http.request', status: 'running', at: '2026-01-01T00:00:00.400Z' });
    view.handle({ type: 'node', nodeId: 'notify', nodeType: 'http.request', status: 'retrying', at: '2026-01-01T00:00:00.500Z' });
    view.handle({ type: 'node', nodeId: 'notify', nodeType: 'http.request', status: 'failed', error: 'HTTP request failed with status 500', at: '2026-01-01T00:00:01.000Z' });
    view.finish(execution({ status: 'failed', error: "Node 'notify' (http.request) failed: HTTP request failed with status 500", task_summary: { total: 2, completed: 1, failed: 1 } as never }));
    expect(out).not.toContain('\u001b');
    expect(out.split('\n')).toEqual([
      '  ▸ greet   transform     running',
      '  ✔ greet   transform     completed 250ms',
      '  ▸ notify  http.request  running',
      '  ↻ notify  http.request  retrying  attempt failed, retrying',
      '  ✖ notify  http.request  failed    HTTP request failed with status 500',
      '[████████████████████████] 2/2 nodes',
      "✖ failed in 1.2s · 2 nodes: 1 completed, 1 failed · exec_1",
      "  Node 'notify' (http.request) failed: HTTP request failed with status 500",
      '',
    ]);
  });

  it('on a terminal keeps the bar under the node lines, redrawing it in place', () => {
    let out = '';
    const view = new RunView({ style: plain, live: true, nodes, write: (t) => (out += t) });
    view.handle({ type: 'node', nodeId: 'greet', nodeType: 'transform', status: 'running', at: '2026-01-01T00:00:00.000Z' });
    view.handle({ type: 'node', nodeId: 'greet', nodeType: 'transform', status: 'completed', at: '2026-01-01T00:00:00.010Z' });
    expect(out).toBe(`  ▸ greet   transform     running\n[░░░░░░░░░░░░░░░░░░░░░░░░] 0/2 nodes\r\u001b[2K  ✔ greet   transform     completed 10ms\n[████████████░░░░░░░░░░░░] 1/2 nodes`);
    view.finish(execution({}));
    expect(out.endsWith('\r\u001b[2K[████████████░░░░░░░░░░░░] 1/2 nodes\n✔ completed in 1.2s · 2 nodes: 2 completed · exec_1\nresult: "Hello, Ada"\n')).toBe(true);
  });

  it('notes a fall back to polling', () => {
    const notes: string[] = [];
    const view = new RunView({ style: plain, live: false, nodes, write: () => {}, note: (t) => notes.push(t) });
    view.handle({ type: 'transport', transport: 'polling', reason: 'live updates refused: HTTP 404' });
    expect(notes).toEqual(['live updates unavailable (live updates refused: HTTP 404); polling']);
  });

  it('summarises each outcome', () => {
    expect(summaryLine(execution({ status: 'cancelled', error: 'Execution cancelled', duration_ms: null, completed_at: null, task_summary: undefined }), plain)).toBe('■ cancelled · exec_1\n  Execution cancelled');
    expect(stripAnsi(summaryLine(execution({}), colored))).toBe('✔ completed in 1.2s · 2 nodes: 2 completed · exec_1');
  });
});

describe('renderGraph (workflows graph)', () => {
  const graph: Graph = {
    nodes: [
      { id: 'fetch', type: 'http.request', dependencies: [] },
      { id: 'check', type: 'choice', dependencies: ['fetch'] },
      { id: 'big', type: 'transform', dependencies: ['check'] },
      { id: 'small', type: 'transform', name: 'Small ones', dependencies: ['check'] },
      {
        id: 'fan',
        type: 'parallel',
        dependencies: ['big', 'small'],
        branches: [
          { nodes: [{ id: 'a', type: 'pass', dependencies: [] }, { id: 'b', type: 'wait', dependencies: ['a'] }] },
          { nodes: [{ id: 'c', type: 'pass', dependencies: [] }] },
        ],
      },
      { id: 'each', type: 'map', dependencies: ['fan'], iterator: { nodes: [{ id: 'item', type: 'transform', dependencies: [] }] } },
    ],
    edges: [
      { from: 'fetch', to: 'check', kind: 'next' },
      { from: 'check', to: 'big', kind: 'choice' },
      { from: 'check', to: 'small', kind: 'default' },
    ],
  };

  it('puts each node one layer after its deepest dependency', () => {
    expect(Object.fromEntries(layersOf(graph))).toEqual({ fetch: 0, check: 1, big: 2, small: 2, fan: 3, each: 4 });
    // A cycle (the compiler refuses one) still terminates.
    expect(Object.fromEntries(layersOf({ nodes: [{ id: 'x', type: 'pass', dependencies: ['y'] }, { id: 'y', type: 'pass', dependencies: ['x'] }] }))).toEqual({ x: 2, y: 1 });
  });

  it('draws layers, incoming edges (choice branches named) and nested graphs', () => {
    expect(renderGraph(graph, plain, 'Orders · flowrunner').split('\n')).toEqual([
      'Orders · flowrunner · 10 nodes',
      '',
      '1  fetch               http.request',
      '2  check               choice        ← fetch',
      '3  big                 transform     ← check (when)',
      '   small (Small ones)  transform     ← check (default)',
      '4  fan                 parallel      ← big, small',
      '   ├─ branch 1',
      '   │  1  a  pass',
      '   │  2  b  wait  ← a',
      '   └─ branch 2',
      '      1  c  pass',
      '5  each                map           ← fan',
      '   └─ for each item',
      '      1  item  transform',
    ]);
  });

  it('formats a validation issue with its node and path', () => {
    expect(formatIssue({ field: 'definition.nodes.a.params.url', node: 'a', code: 'invalid_params', message: 'params.url: Invalid URL' }, plain)).toBe('✖ node a · definition.nodes.a.params.url: params.url: Invalid URL (invalid_params)');
    expect(formatIssue({ path: 'nodes.b', code: 'unsigned_webhook', message: 'posts unsigned' }, plain, 'warning')).toBe('! nodes.b: posts unsigned (unsigned_webhook)');
    expect(formatIssue({ message: 'bad' }, plain)).toBe('✖ bad');
  });
});

describe('log lines', () => {
  it('shows time, level, node, message and data', () => {
    expect(formatLogLine({ timestamp: '2026-03-01T10:00:01.900Z', level: 'info', message: 'HTTP request successful', node_id: 'fetch', data: { status_code: 200 } }, plain)).toBe('10:00:01.900 INFO  [fetch] HTTP request successful {"status_code":200}');
    expect(formatLogLine({ timestamp: '2026-03-01T10:00:00.000Z', level: 'error', message: 'Execution failed', node_id: null, data: null }, plain)).toBe('10:00:00.000 ERROR Execution failed');
  });
});

describe('workflow files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-cli-files-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('sends a FlowRunner YAML file as its text, and takes the name from its metadata', () => {
    const yaml = 'metadata:\n  name: Greeter\nnodes:\n  a:\n    type: pass\n';
    expect(workflowBodyFromFile(file('flow.yaml', yaml))).toEqual({ body: { definition: yaml }, name: 'Greeter' });
    expect(workflowBodyFromFile(file('flow.json', '{"metadata":{"name":"J"},"nodes":{"a":{"type":"pass"}}}'))).toEqual({ body: { definition: { metadata: { name: 'J' }, nodes: { a: { type: 'pass' } } } }, name: 'J' });
  });

  it('sends a FlowCtl or CloudFlow body as it is, YAML or JSON', () => {
    expect(workflowBodyFromFile(file('ctl.yaml', 'name: Ctl\ntasks:\n  - name: a\n    type: pass\n'))).toEqual({ body: { name: 'Ctl', tasks: [{ name: 'a', type: 'pass' }] }, name: 'Ctl' });
    expect(workflowBodyFromFile(file('cloud.json', '{"name":"C","steps":[{"type":"pass"}]}')).name).toBe('C');
  });

  it('refuses what is not a workflow, naming the file', () => {
    expect(() => workflowBodyFromFile(file('list.yaml', '- a\n- b\n'))).toThrow(/list\.yaml must hold a workflow object/);
    expect(() => workflowBodyFromFile(file('other.yaml', 'hello: world\n'))).toThrow(/not a workflow/);
    expect(() => workflowBodyFromFile(file('broken.json', '{"tasks": ['))).toThrow(/broken\.json is not valid JSON/);
    expect(() => workflowBodyFromFile(join(dir, 'missing.yaml'))).toThrow(/cannot read workflow file .*missing\.yaml: ENOENT/);
  });

  it('rebuilds a stored FlowCtl workflow’s body from its task views, nested nodes left in their parent', () => {
    const view = (name: string, type: string, payload: Record<string, unknown>, dependencies: string[] = []) => ({ id: name, name, type, payload, dependencies, max_retries: 2, priority: null, timeout_seconds: null });
    const branches = [{ tasks: [{ name: 'a', type: 'pass' }] }, [{ name: 'b', type: 'pass' }]];
    const body = bodyOfStored({ tasks: [view('start', 'pass', {}), view('fan', 'parallel', { branches }, ['start']), view('a', 'pass', {}), view('b', 'pass', {})] } as never);
    expect(body).toEqual({
      tasks: [
        { name: 'start', type: 'pass', payload: {}, dependencies: [], max_retries: 2 },
        { name: 'fan', type: 'parallel', payload: { branches }, dependencies: ['start'], max_retries: 2 },
      ],
    });
    expect(bodyOfStored({ definition: 'metadata: {}' } as never)).toEqual({ definition: 'metadata: {}' });
  });
});

describe('the config file', () => {
  it('lives under XDG_CONFIG_HOME (absolute only), else ~/.config', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/me' })).toBe('/x/cfg/stepwise/config.json');
    expect(configPath({ XDG_CONFIG_HOME: 'relative', HOME: '/home/me' })).toBe('/home/me/.config/stepwise/config.json');
    expect(configPath({ HOME: '/home/me' })).toBe('/home/me/.config/stepwise/config.json');
  });

  it('is written mode 0600 in a 0700 directory, one session per API address', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'stepwise-cfg-')), 'stepwise', 'config.json');
    const store = new ConfigStore(path);
    store.saveSession('http://127.0.0.1:3000/', { token: 'a', refresh_token: 'r' });
    store.saveSession('https://api.example.com', { token: 'b' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    expect(store.session('http://127.0.0.1:3000')).toEqual({ token: 'a', refresh_token: 'r' });
    expect(store.removeSession('http://127.0.0.1:3000')).toBe(true);
    expect(store.removeSession('http://127.0.0.1:3000')).toBe(false);
    expect(Object.keys(store.read().sessions)).toEqual(['https://api.example.com']);
  });
});

describe('the command line (in process, no server)', () => {
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const { code, stdout: out, stderr: err } = await runInProcess(args, { env: { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'stepwise-cfg-')), ...env } });
    return { code, out, err };
  };

  it('exits 2 on a usage error, 0 for help, and lists every command group', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const group of ['login', 'logout', 'whoami', 'tasks', 'workflows', 'run', 'executions', 'webhooks', 'secrets']) expect(help.out).toMatch(new RegExp(`^  ${group}\\b`, 'm'));
    const unknown = await run(['tasks', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command 'frobnicate'/);
    expect((await run(['tasks', 'add'])).code).toBe(2);
    expect((await run(['secrets', 'set', 'A', 'the-value-as-an-argument'])).err).toMatch(/too many arguments/);
  });

  it('says how to sign in when there is no credential, and refuses a bad --api-url', async () => {
    const none = await run(['tasks', 'ls']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('Not signed in to http://127.0.0.1:3000: run `stepwise login`, or set STEPWISE_TOKEN or STEPWISE_API_KEY');
    const json = await run(['tasks', 'ls', '--json']);
    expect(JSON.parse(json.err)).toMatchObject({ error: { code: 'unauthorized' }, status: 401 });
    const bad = await run(['tasks', 'ls', '--api-url', 'ftp://x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--api-url / STEPWISE_API_URL must be an http(s) URL');
  });
});
