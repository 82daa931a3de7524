import { beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';
import { waitForExecution } from '../support/polling.ts';

type Client = Awaited<ReturnType<typeof newAccount>>['client'];

/**
 * Issue 13, item 13: Node's timers fire after 1 ms for any delay of 2^31 ms (about 24.9 days) or more, so
 * templated waits that long, and a templated `until` in 2099, used to finish at once in local mode.
 */
describe('long templated waits keep waiting (local mode)', () => {
  let client: Client;

  beforeAll(async () => {
    ({ client } = await newAccount('longwait'));
  });

  it.each([
    ['seconds beyond 2^31 ms', { seconds: '{{input.s}}' }, { s: 2_200_000 }],
    ['a duration beyond 2^31 ms', { duration: '{{input.d}}' }, { d: '30d' }],
    ['until in 2099', { until: '{{input.until}}' }, { until: '2099-01-01T00:00:00Z' }],
  ])('a templated wait of %s is still waiting seconds later, and can be cancelled', async (_what, params, input) => {
    const wf = await client.post('/api/v1/workflows', { name: `long wait ${Math.random()}`, tasks: [{ name: 'hold', type: 'wait', payload: params }, { name: 'after', type: 'transform', dependencies: ['hold'], payload: { expression: '"done"' } }] });
    expect(wf.status).toBe(201);
    const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input });
    expect(run.status).toBe(202);
    const id = run.body.execution_id as string;
    // The runner resolved the wait (its task completed); from here the machine waits.
    const waiting = await waitForExecution(client, id, (b) => b.tasks.some((t: any) => t.node_id === 'hold' && t.status === 'completed') || b.status !== 'running');
    expect(waiting.status).toBe('running');
    await new Promise((r) => setTimeout(r, 3_000));
    const later = await client.get(`/api/v1/executions/${id}`);
    expect(later.body.status).toBe('running');
    expect(later.body.tasks.find((t: any) => t.node_id === 'after').status).toBe('pending');
    expect((await client.delete(`/api/v1/executions/${id}`)).status).toBe(200);
    expect((await waitForExecution(client, id)).status).toBe('cancelled');
  }, 60_000);
});
