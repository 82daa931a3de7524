import { beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { eventually, waitForExecution } from '../support/polling.ts';

/** subworkflow nodes against the real local server: each child is an execution of its own (docs/api.md, "Subworkflows"). */
describe('subworkflows run locally', () => {
  let user: Awaited<ReturnType<typeof newAccount>>;
  beforeAll(async () => {
    user = await newAccount('subwf');
  });

  const create = async (body: object, client = user.client) => {
    const wf = await client.post('/api/v1/workflows', body);
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    return wf.body.id as string;
  };
  const run = async (workflowId: string, input: object = {}) => {
    const started = await user.client.post(`/api/v1/workflows/${workflowId}/run`, { input });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    return started.body.execution_id as string;
  };
  const children = async (parentId: string) => {
    const list = await user.client.get(`/api/v1/executions?parent_execution_id=${parentId}`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    return list.body.executions as any[];
  };

  it('wait: true makes the child’s result the node’s output; the child records its parent, node and depth', async () => {
    const child = await create({ name: 'Double', tasks: [{ name: 'double', type: 'transform', payload: { expression: 'input.n * 2' } }] });
    const parent = await create({
      name: 'Calls double',
      tasks: [
        { name: 'call', type: 'subworkflow', payload: { workflow_id: child, input: { n: '{{input.n}}' } } },
        { name: 'after', type: 'transform', dependencies: ['call'], payload: { expression: '{"got": steps.call.output}' } },
      ],
    });
    const done = await waitForExecution(user.client, await run(parent, { n: 21 }));
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.result).toEqual({ got: 42 });
    expect(done).toMatchObject({ parent_execution_id: null, parent_node_id: null, depth: 0 });

    const kids = await children(done.id);
    expect(kids).toHaveLength(1);
    expect(kids[0]).toMatchObject({ workflow_id: child, status: 'completed', result: 42, parent_execution_id: done.id, parent_node_id: 'call', depth: 1, trigger: 'subworkflow' });
    // A normal execution of its own: tasks, logs and input.
    const own = await user.client.get(`/api/v1/executions/${kids[0].id}`);
    expect(own.body).toMatchObject({ input: { n: 21 }, parent_execution_id: done.id, tasks: [expect.objectContaining({ node_id: 'double', status: 'completed', result: 42 })] });
    const logs = await user.client.get(`/api/v1/executions/${done.id}/logs`);
    expect(logs.body.logs.find((l: any) => l.message === 'Subworkflow completed')).toMatchObject({ node_id: 'call', data: { child_execution_id: kids[0].id } });
  });

  it('wait: false outputs {execution_id} at once, and the child still runs to its end', async () => {
    const slow = await create({ name: 'Slow child', tasks: [{ name: 'nap', type: 'wait', payload: { seconds: 1 } }, { name: 'done', type: 'transform', dependencies: ['nap'], payload: { expression: '"slept"' } }] });
    const parent = await create({ name: 'Fire and forget', tasks: [{ name: 'fire', type: 'subworkflow', payload: { workflow_id: slow, wait: false } }] });
    const done = await waitForExecution(user.client, await run(parent));
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.result).toEqual({ execution_id: expect.stringMatching(/^exec_/) });
    const child = await user.client.get(`/api/v1/executions/${done.result.execution_id}`);
    expect(child.body).toMatchObject({ parent_execution_id: done.id, parent_node_id: 'fire' });
    const settled = await waitForExecution(user.client, done.result.execution_id);
    expect(settled).toMatchObject({ status: 'completed', result: 'slept' });
  });

  it('a failing child fails the node with the child’s error name and cause', async () => {
    const failing = await create({ name: 'Declines', tasks: [{ name: 'boom', type: 'fail', payload: { error: 'PaymentDeclined', cause: 'card expired' } }] });
    const parent = await create({ name: 'Charges', tasks: [{ name: 'charge', type: 'subworkflow', payload: { workflow_id: failing } }] });
    const done = await waitForExecution(user.client, await run(parent));
    expect(done).toMatchObject({ status: 'failed', failed_node: 'charge' });
    expect(done.error).toContain("Node 'charge' (subworkflow) failed");
    expect(done.error).toContain("node 'boom' (fail) failed: card expired");
    const logs = await user.client.get(`/api/v1/executions/${done.id}/logs?level=error`);
    expect(logs.body.logs.find((l: any) => l.node_id === 'charge')).toMatchObject({ data: { error: 'PaymentDeclined' } });
    const [kid] = await children(done.id);
    expect(kid).toMatchObject({ status: 'failed', failed_node: 'boom' });
  });

  it('cancelling the parent cancels its running child', async () => {
    const long = await create({ name: 'Long child', tasks: [{ name: 'nap', type: 'wait', payload: { seconds: 600 } }] });
    const parent = await create({ name: 'Waits long', tasks: [{ name: 'call', type: 'subworkflow', payload: { workflow_id: long } }] });
    const id = await run(parent);
    const [kid] = await eventually(
      () => children(id),
      (kids) => kids[0]?.status === 'running',
    );
    const cancel = await user.client.delete(`/api/v1/executions/${id}`);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect((await waitForExecution(user.client, id)).status).toBe('cancelled');
    const child = await waitForExecution(user.client, kid.id);
    expect(child.status).toBe('cancelled');
    // The parent's cascade or its abandoned start state, whichever stops the child first.
    expect(child.error).toContain(`Parent execution ${id}`);
  });
});

describe('subworkflow references are checked', () => {
  let user: Awaited<ReturnType<typeof newAccount>>;
  let other: Awaited<ReturnType<typeof newAccount>>;
  beforeAll(async () => {
    [user, other] = await Promise.all([newAccount('subref'), newAccount('subother')]);
  });
  const leaf = { name: 'Leaf', tasks: [{ name: 'one', type: 'transform', payload: { expression: '1' } }] };
  const caller = (workflowId: string, name = 'Caller') => ({ name, tasks: [{ name: 'call', type: 'subworkflow', payload: { workflow_id: workflowId } }] });

  it('another account’s workflow id is refused exactly like one that does not exist, naming the node and field', async () => {
    const theirs = await other.client.post('/api/v1/workflows', leaf);
    expect(theirs.status).toBe(201);
    const missing = 'wf_01M8XJ2M89RH3TX0000000000A';
    const answers = [];
    for (const id of [theirs.body.id, missing]) {
      for (const path of ['/api/v1/workflows', '/api/v1/workflows/validate']) {
        const res = await user.client.post(path, caller(id));
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'validation_error', field: 'tasks[0].payload.workflow_id' });
        answers.push(res.body.error.message.replace(id, '<id>'));
      }
    }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toBe('node "call": workflow_id <id>: no workflow with this id in this account');
  });

  it('bad params are a 400 naming the field; a dry run of a good one has no warning', async () => {
    const target = (await user.client.post('/api/v1/workflows', leaf)).body.id as string;
    for (const [payload, field] of [
      [{ workflow_id: target, wait: 'yes' }, 'wait'],
      [{ workflow_id: 'not an id!' }, 'workflow_id'],
      [{ workflow_id: target, extra: 1 }, 'payload'],
      [{ workflow_id: target, input: { t: '{{secrets.TOKEN}}' } }, 'input'],
    ] as const) {
      const res = await user.client.post('/api/v1/workflows/validate', { tasks: [{ name: 'call', type: 'subworkflow', payload }] });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.field, JSON.stringify(res.body)).toContain(field);
    }
    const ok = await user.client.post('/api/v1/workflows/validate', caller(target));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.warnings).toEqual([]);
  });

  it('parent_execution_id lists only the caller’s children: a malformed id is a 400, another account’s run lists nothing', async () => {
    const bad = await user.client.get('/api/v1/executions?parent_execution_id=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('parent_execution_id');
    const child = (await other.client.post('/api/v1/workflows', leaf)).body.id as string;
    const parent = (await other.client.post('/api/v1/workflows', caller(child))).body.id as string;
    const run = await other.client.post(`/api/v1/workflows/${parent}/run`, { input: {} });
    const done = await waitForExecution(other.client, run.body.execution_id);
    expect(done.status).toBe('completed');
    expect((await other.client.get(`/api/v1/executions?parent_execution_id=${done.id}`)).body.executions).toHaveLength(1);
    const mine = await user.client.get(`/api/v1/executions?parent_execution_id=${done.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ executions: [], total: 0 });
  });

  it('a static cycle is refused: A → A and A → B → A, naming the node', async () => {
    const a = await user.client.post('/api/v1/workflows', leaf);
    const self = await user.client.put(`/api/v1/workflows/${a.body.id}`, caller(a.body.id, 'A'));
    expect(self.status, JSON.stringify(self.body)).toBe(400);
    expect(self.body.error).toMatchObject({ code: 'validation_error', field: 'tasks[0].payload.workflow_id', message: expect.stringContaining('node "call": a workflow cannot run itself') });
    const b = await user.client.post('/api/v1/workflows', caller(a.body.id, 'B'));
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    const loop = await user.client.put(`/api/v1/workflows/${a.body.id}`, caller(b.body.id, 'A'));
    expect(loop.status, JSON.stringify(loop.body)).toBe(400);
    expect(loop.body.error.message).toBe(`node "call": workflow_id ${b.body.id} leads back to this workflow (${a.body.id} → ${b.body.id} → ${a.body.id}), so runs would nest without end`);
    // Nothing was published: A still runs its own definition.
    expect((await user.client.get(`/api/v1/workflows/${a.body.id}`)).body.version).toBe(1);
  });

  it('the depth limit stops the 11th nested start with a clear error', async () => {
    // W0 → W1 → … → W11: W10 runs at depth 10, so its start of W11 is the 11th nested start.
    let next = (await user.client.post('/api/v1/workflows', leaf)).body.id as string;
    const chain = [next];
    for (let i = 10; i >= 0; i -= 1) {
      const wf = await user.client.post('/api/v1/workflows', caller(next, `W${i}`));
      expect(wf.status, JSON.stringify(wf.body)).toBe(201);
      next = wf.body.id;
      chain.unshift(next);
    }
    const started = await user.client.post(`/api/v1/workflows/${chain[0]}/run`, { input: {} });
    const top = await waitForExecution(user.client, started.body.execution_id, undefined, 60_000);
    expect(top.status).toBe('failed');
    // Down the chain to the deepest run: the one at depth 10, whose node could not start depth 11.
    let deepest = top;
    for (;;) {
      const list = await user.client.get(`/api/v1/executions?parent_execution_id=${deepest.id}`);
      if (list.body.executions.length === 0) break;
      deepest = await waitForExecution(user.client, list.body.executions[0].id);
    }
    expect(deepest).toMatchObject({ depth: 10, status: 'failed', failed_node: 'call' });
    expect(deepest.error).toContain('subworkflows nest at most 10 deep');
    expect(top.error).toContain('subworkflows nest at most 10 deep');
  });
});
