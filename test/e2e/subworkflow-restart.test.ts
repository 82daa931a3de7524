import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../functions/adapters/local/dynamodb-local.ts';
import { startLocalServerProcess, type LocalServerProcess } from '../../scripts/local-server-process.ts';
import { newAccount } from '../support/api-client.ts';
import { eventually, waitForExecution } from '../support/polling.ts';

/** Waits at a tenth: the child's 100 s wait takes 10 s. */
const TIME_SCALE = 0.1;

/**
 * A parent waiting on its child (`.sync:2`) when the local server is killed: after a restart on the same
 * data dir both resume, the parent's replayed prepare finds the child it had started (no second child),
 * and the parent completes with the child's result.
 */
describe('subworkflows across a SIGKILL of the local server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-subwf-crash-'));
  let server: LocalServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the parent resumes waiting on the same child and completes with its result', async () => {
    const port = await freePort();
    const env = { STEPWISE_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: undefined, STEPWISE_TIME_SCALE: String(TIME_SCALE) };
    server = await startLocalServerProcess({ port, env });
    const { client } = await newAccount('subcrash', server.url);
    const child = await client.post('/api/v1/workflows', {
      name: 'Slow child',
      tasks: [
        { name: 'hold', type: 'wait', payload: { seconds: 100 } },
        { name: 'done', type: 'transform', dependencies: ['hold'], payload: { expression: '{"n": input.n + 1}' } },
      ],
    });
    const parent = await client.post('/api/v1/workflows', { name: 'Parent', tasks: [{ name: 'call', type: 'subworkflow', payload: { workflow_id: child.body.id, input: { n: '{{input.n}}' } } }] });
    const run = await client.post(`/api/v1/workflows/${parent.body.id}/run`, { input: { n: 41 } });
    expect(run.status).toBe(202);
    const id = run.body.execution_id as string;
    const [kid] = await eventually(
      async () => (await client.get(`/api/v1/executions?parent_execution_id=${id}`)).body.executions as any[],
      (kids) => kids[0]?.status === 'running',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    await server.stop('SIGKILL');
    server = await startLocalServerProcess({ port, env });

    const done = await waitForExecution(client, id, undefined, 90_000);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'completed', result: { n: 42 } });
    const kids = (await client.get(`/api/v1/executions?parent_execution_id=${id}`)).body.executions;
    expect(kids).toHaveLength(1);
    expect(kids[0]).toMatchObject({ id: kid.id, status: 'completed', result: { n: 42 } });
  }, 180_000);
});
