import { beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { waitForExecution } from '../support/polling.ts';

type Client = Awaited<ReturnType<typeof newAccount>>['client'];

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};
const nestedJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/**
 * Issue 13, item 8: malformed input that used to be a 500 (DynamoDB's nesting and item-size limits,
 * stack overflows, YAML alias limits, `__proto__`). Each is now a 400 (or 413) naming the field, and
 * nothing is stored.
 */
describe('malformed input is a 4xx naming the field', () => {
  let client: Client;
  let workflowId: string;

  beforeAll(async () => {
    ({ client } = await newAccount('malformed'));
    const wf = await client.post('/api/v1/workflows', { name: 'target', tasks: [{ name: 'echo', type: 'transform', payload: { expression: 'input' } }] });
    workflowId = wf.body.id;
  });

  const workflowCount = async () => (await client.get('/api/v1/workflows?limit=100')).body.pagination.total as number;

  const expectError = (res: { status: number; body: any }, status: number, field: string, message: RegExp | string) => {
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ field, message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message), request_id: expect.any(String) });
  };

  describe('nesting deeper than DynamoDB stores (32 levels)', () => {
    it('run input nested 40 levels is a 400 naming input, and no run is recorded', async () => {
      const before = (await client.get(`/api/v1/executions?workflow_id=${workflowId}`)).body.pagination.total;
      expectError(await client.post(`/api/v1/workflows/${workflowId}/run`, { input: nested(40) }), 400, 'input', 'input is nested too deeply');
      expect((await client.get(`/api/v1/executions?workflow_id=${workflowId}`)).body.pagination.total).toBe(before);
    });

    it('run input within the limit runs and comes back whole', async () => {
      const run = await client.post(`/api/v1/workflows/${workflowId}/run`, { input: nested(23) });
      expect(run.status).toBe(202);
      const done = await waitForExecution(client, run.body.execution_id);
      expect(done).toMatchObject({ status: 'completed', input: nested(23), result: nested(23) });
    });

    it.each([
      ['tasks', { tasks: [{ name: 'deep', type: 'pass', payload: { result: nested(40) } }] }],
      ['definition', { definition: { nodes: { deep: { type: 'pass', params: { result: nested(40) } } } } }],
      ['steps', { steps: [{ type: 'pass', id: 'deep', result: nested(40) }] }],
    ])('node params nested 40 levels (%s) are a 400 naming the field, and nothing is stored', async (field, body) => {
      const before = await workflowCount();
      expectError(await client.post('/api/v1/workflows', { name: 'deep params', ...body }), 400, field, `${field} is nested too deeply`);
      expect(await workflowCount()).toBe(before);
    });

    it('a node output nested past what DynamoDB stores is kept as a preview; the run completes', async () => {
      const expression = nestedJson(35);
      const wf = await client.post('/api/v1/workflows', { name: 'deep output', tasks: [{ name: 'make', type: 'transform', payload: { expression } }] });
      expect(wf.status).toBe(201);
      const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
      const done = await waitForExecution(client, run.body.execution_id);
      expect(done.status).toBe('completed');
      expect(done.tasks[0]).toMatchObject({ status: 'completed', result: { truncated: true, preview: expect.stringContaining('{"a":{"a":') } });
    });
  });

  describe('a definition nested ~40,000 levels (it overflowed the parser\'s stack)', () => {
    it('as JSON: a 400 naming definition', async () => {
      const body = `{"name":"deep","definition":{"nodes":{"a":{"type":"pass","params":{"result":${nestedJson(40_000)}}}}}}`;
      expectError(await client.raw('POST', '/api/v1/workflows', body), 400, 'definition', 'definition is nested too deeply');
    });

    it('as YAML text: a 400 naming definition', async () => {
      const definition = `nodes:\n  a:\n    type: pass\n    params:\n      result: ${'['.repeat(40_000)}${']'.repeat(40_000)}\n`;
      expectError(await client.post('/api/v1/workflows', { name: 'deep yaml', definition }), 400, 'definition', 'definition is nested too deeply');
    });

    it('as YAML text nested past the limit without overflowing: a 400 naming definition', async () => {
      const definition = `nodes:\n  a:\n    type: pass\n    params:\n      result: ${'['.repeat(40)}1${']'.repeat(40)}\n`;
      const res = await client.post('/api/v1/workflows', { name: 'deep yaml', definition });
      expectError(res, 400, res.body.error?.field, 'definition is nested too deeply');
      // Named down to where the nesting goes too deep.
      expect(res.body.error.field).toMatch(/^definition\.nodes\.a\.params\.result\[0\]/);
    });

    it('a validate (dry run) of the same says so too', async () => {
      const body = `{"definition":{"nodes":{"a":{"type":"pass","params":{"result":${nestedJson(40_000)}}}}}}`;
      expectError(await client.raw('POST', '/api/v1/workflows/validate', body), 400, 'definition', 'definition is nested too deeply');
    });
  });

  describe('YAML aliases (more than 100 made every definition a 500)', () => {
    const chain = (n: number, node: (i: number) => string) => `metadata:\n  name: aliases\nnodes:\n${Array.from({ length: n }, (_, i) => node(i)).join('\n')}\n`;

    it('a legitimate definition sharing params across 500 nodes (499 aliases) is saved and runs', async () => {
      const definition = chain(500, (i) => `  n${i}:\n    type: pass\n    params: ${i === 0 ? '&shared {result: {ok: true}}' : '*shared'}${i < 499 ? `\n    next: n${i + 1}` : ''}`);
      const wf = await client.post('/api/v1/workflows', { definition });
      expect(wf.status).toBe(201);
      const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
      expect((await waitForExecution(client, run.body.execution_id, undefined, 60_000)).status).toBe('completed');
    }, 90_000);

    it('merge keys (<<: *base) across 500 nodes work too', async () => {
      const definition = chain(500, (i) => `  n${i}:\n    <<: ${i === 0 ? '&base {type: pass, description: shared}' : '*base'}${i < 499 ? `\n    next: n${i + 1}` : ''}`);
      const wf = await client.post('/api/v1/workflows', { definition });
      expect(wf.status).toBe(201);
      const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, {});
      const done = await waitForExecution(client, run.body.execution_id, undefined, 60_000);
      expect(done.status).toBe('completed');
      expect(done.tasks).toHaveLength(500);
    }, 90_000);

    it('more alias uses than the limit are a 400 naming definition that states the limit', async () => {
      const definition = chain(200, (i) => `  n${i}:\n    type: pass\n    params: {result: [${i === 0 ? '&x 1, *x, *x, *x, *x, *x, *x' : '*x, *x, *x, *x, *x, *x'}]}${i < 199 ? `\n    next: n${i + 1}` : ''}`);
      expectError(await client.post('/api/v1/workflows', { name: 'aliases', definition }), 400, 'definition', 'definition uses its YAML anchors more than 1000 times');
    });

    it('a "billion laughs" expansion is refused the same way', async () => {
      const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array.from({ length: 9 }, () => `*${String.fromCharCode(96 + i)}`).join(',')}]`);
      const definition = `metadata:\n  name: laughs\n  ${levels.join('\n  ')}\nnodes:\n  n:\n    type: pass\n    params: {result: *i}\n`;
      const res = await client.post('/api/v1/workflows', { definition });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('definition');
    });
  });

  describe('__proto__', () => {
    it.each([
      ['a FlowRunner node id (JSON)', '{"name":"p","definition":{"nodes":{"__proto__":{"type":"pass"},"b":{"type":"pass"}}}}', 'definition'],
      ['a key in params (JSON)', '{"name":"p","tasks":[{"name":"a","type":"pass","payload":{"result":{"__proto__":{"polluted":true}}}}]}', 'tasks'],
      ['a key in run input', '{"input":{"__proto__":{"polluted":true}}}', 'input'],
    ])('as %s is a 400 naming the field', async (_what, body, field) => {
      const path = field === 'input' ? `/api/v1/workflows/${workflowId}/run` : '/api/v1/workflows';
      expectError(await client.raw('POST', path, body), 400, field, '__proto__ may not be used as a key');
    });

    it.each([
      ['a FlowCtl task name', { tasks: [{ name: '__proto__', type: 'pass', payload: {} }] }, 'tasks[0]'],
      ['a CloudFlow step id', { steps: [{ type: 'pass', id: '__proto__' }] }, 'steps[0]'],
    ])('as %s is a 400 naming the node', async (_what, body, field) => {
      expectError(await client.post('/api/v1/workflows', { name: 'p', ...body }), 400, field, '__proto__ is reserved and cannot be an id');
    });

    it.each([
      ['a node id', 'nodes:\n  __proto__:\n    type: pass\n  b:\n    type: pass\n'],
      ['a key in params', 'nodes:\n  a:\n    type: pass\n    params:\n      result:\n        __proto__: {polluted: true}\n'],
    ])('in YAML text as %s is a 400 naming definition', async (_what, definition) => {
      const res = await client.post('/api/v1/workflows', { name: 'p', definition });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toMatch(/^definition/);
      expect(res.body.error.message).toMatch(/__proto__/);
    });
  });

  describe('a definition under the size cap that outgrows DynamoDB\'s 400 KB item', () => {
    it.each([
      ['tasks', (s: string) => ({ tasks: [{ name: 'big', type: 'pass', payload: { result: s } }] })],
      ['definition', (s: string) => ({ definition: { nodes: { big: { type: 'pass', params: { result: s } } } } })],
      ['steps', (s: string) => ({ steps: [{ type: 'pass', id: 'big', result: s }] })],
    ])('a 250,000-character string (%s) is a 413 naming the field, and nothing is stored', async (field, body) => {
      const before = await workflowCount();
      const res = await client.post('/api/v1/workflows', { name: 'big', ...body('x'.repeat(250_000)) });
      expectError(res, 413, field, 'a DynamoDB item holds at most 409600');
      expect(res.body.error.code).toBe('payload_too_large');
      expect(await workflowCount()).toBe(before);
    });

    it('the same on PUT (a new version) leaves the workflow as it was', async () => {
      const wf = await client.post('/api/v1/workflows', { name: 'grows', tasks: [{ name: 'a', type: 'pass', payload: { result: 'small' } }] });
      const res = await client.put(`/api/v1/workflows/${wf.body.id}`, { tasks: [{ name: 'a', type: 'pass', payload: { result: 'x'.repeat(250_000) } }] });
      expectError(res, 413, 'tasks', 'a DynamoDB item holds at most 409600');
      const after = await client.get(`/api/v1/workflows/${wf.body.id}`);
      expect(after.body).toMatchObject({ version: 1, revision: 1 });
      expect(after.body.tasks[0].payload.result).toBe('small');
    });
  });
});
