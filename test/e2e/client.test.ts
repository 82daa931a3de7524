import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createStepwiseClient, type StepwiseClient } from '../../client/index.ts';
import { api } from '../support/api-client.ts';

/** Compile-time checks: `npm run typecheck` fails if the generated client stops rejecting these. */
export function typoesAreCompileErrors(client: StepwiseClient) {
  void client.POST('/api/v1/workflows', {
    // @ts-expect-error `tpye` is not a FlowCtl task field (and `type` is missing)
    body: { name: 'x', tasks: [{ name: 'a', tpye: 'transform', payload: { expression: '1' } }] },
  });
  void client.POST('/api/v1/workflows', {
    // @ts-expect-error `payloadd` is not a FlowCtl task field
    body: { name: 'x', tasks: [{ name: 'a', type: 'transform', payloadd: { expression: '1' } }] },
  });
  void client.POST('/api/v1/workflows', {
    // @ts-expect-error a transform's params are {expression, input}: `expresion` is a typo
    body: { name: 'x', tasks: [{ name: 'a', type: 'transform', payload: { expresion: '1' } }] },
  });
  void client.POST('/api/v1/workflows', {
    // @ts-expect-error nested graphs are typed in the dialect too: `tpye` inside a parallel branch
    body: { name: 'x', tasks: [{ name: 'p', type: 'parallel', payload: { branches: [[{ name: 'a', tpye: 'pass' }]] } }] },
  });
  void client.POST('/api/v1/workflows', { body: { name: 'x', tasks: [{ name: 'p', type: 'parallel', payload: { branches: [[{ name: 'a', type: 'pass' }], { tasks: [{ name: 'b', type: 'wait', payload: { seconds: 1 } }] }] } }] } });
  void client.GET('/api/v1/tasks/{id}', { params: { path: { id: 'task_1' } } }).then(({ data }) => {
    // @ts-expect-error GET /tasks/{id} is a task or a run's task: only a task has tags, so narrow first
    void data?.tags.length;
    if (data && 'tags' in data) void data.tags.length;
  });
}

/** The README walk-through, through the client generated from the OpenAPI document. */
describe('generated TypeScript client (client/)', () => {
  it('runs the README walk-through with typed calls against the local server', async () => {
    const baseUrl = api().baseUrl;
    const anonymous = createStepwiseClient({ baseUrl });
    const username = `client${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

    const registered = await anonymous.POST('/api/v1/auth/register', { body: { username, password: 'securepass123', name: 'John', lastname: 'Doe' } });
    expect(registered.response.status).toBe(201);
    expect(registered.data).toMatchObject({ username, name: 'John', lastname: 'Doe', role: 'admin' });

    const login = await anonymous.POST('/api/v1/auth/login', { body: { username, password: 'securepass123' } });
    const token = login.data!.token;
    const client = createStepwiseClient({ baseUrl, token });

    const created = await client.POST('/api/v1/tasks', {
      body: { name: 'Review documentation', description: 'Check all API docs', priority: 'high', due_date: '2030-12-31T23:59:59Z', tags: ['docs'] },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'Review documentation', status: 'pending', priority: 'high', tags: ['docs'] });
    expect(created.response.headers.get('etag')).toBe('"1"');

    const listed = await client.GET('/api/v1/tasks', { params: { query: { status: 'pending', limit: 10 } } });
    expect(listed.data?.pagination.total).toBe(1);
    expect(listed.data?.data.map((t) => t.name)).toEqual(['Review documentation']);

    const workflow = await client.POST('/api/v1/workflows', {
      body: { name: 'Greeter', tasks: [{ name: 'greet', type: 'transform', payload: { expression: '"Hello, " & input.name' } }] },
    });
    expect(workflow.response.status).toBe(201);
    const run = await client.POST('/api/v1/workflows/{id}/run', { params: { path: { id: workflow.data!.id } }, body: { input: { name: 'Ada' } } });
    expect(run.response.status).toBe(202);
    const executionId = run.data!.execution_id;

    let execution = (await client.GET('/api/v1/executions/{id}', { params: { path: { id: executionId } } })).data!;
    for (const deadline = Date.now() + 30_000; ['pending', 'running'].includes(execution.status) && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 150));
      execution = (await client.GET('/api/v1/executions/{id}', { params: { path: { id: executionId } } })).data!;
    }
    expect(execution).toMatchObject({ status: 'completed', input: { name: 'Ada' }, result: 'Hello, Ada', task_summary: { total: 1, completed: 1 } });
    expect(execution.tasks?.map((t) => [t.name, t.type, t.status])).toEqual([['greet', 'transform', 'completed']]);

    const logs = await client.GET('/api/v1/executions/{id}/logs', { params: { path: { id: executionId }, query: { level: 'info' } } });
    expect(logs.data?.logs.map((l) => l.message)).toEqual(['Execution started', 'Task started', 'Task completed', 'Execution completed']);

    // Errors come back typed too, in the one error shape.
    const bad = await client.POST('/api/v1/tasks', { body: { name: '' } });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ error: { code: 'validation_error', field: 'name' } });
  });

  it('runs the README’s TypeScript block as it is (only the server address and the username differ)', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /<!-- client-walkthrough:start -->\s*```ts\n([\s\S]*?)```\s*<!-- client-walkthrough:end -->/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const username = `readme${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const source = `${block!.replaceAll('http://127.0.0.1:3000', api().baseUrl).replaceAll("username: 'demo'", `username: '${username}'`)}\nconsole.log(JSON.stringify({ run, execution }));\n`;
    // Inside the repository, so `stepwise/client` resolves through the package's own exports.
    const dir = join(root, '.test-data');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `readme-client-${username}.ts`);
    writeFileSync(file, source);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], { cwd: root, timeout: 60_000 }).finally(() => rmSync(file, { force: true }));
    const { run, execution } = JSON.parse(stdout.trim().split('\n').at(-1)!);
    // A one-node run may finish before the start call returns: the answer reports what is stored.
    expect(run).toMatchObject({ status: expect.stringMatching(/^(running|succeeded)$/), execution_id: expect.stringMatching(/^exec_/) });
    expect(execution).toMatchObject({ id: run.execution_id, input: { name: 'Ada' } });
  });
});
