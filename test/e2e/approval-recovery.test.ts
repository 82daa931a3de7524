import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../functions/adapters/local/dynamodb-local.ts';
import { startLocalServerProcess, type LocalServerProcess } from '../../scripts/local-server-process.ts';
import { newAccount } from '../support/api-client.ts';
import { waitForExecution } from '../support/polling.ts';

type Client = Awaited<ReturnType<typeof newAccount>>['client'];

/**
 * An approval wait survives a SIGKILL of the local server (issue #16): after the restart on the same data
 * dir the engine replays the run, the approval's Task waits again (on a new token the runner stores in the
 * same pending record), and the decision made then completes the run.
 */
describe('an approval wait across a SIGKILL and restart of the local server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-approval-crash-'));
  let port: number;
  let server: LocalServerProcess;
  let client: Client;
  let userId: string;
  let executionId: string;

  beforeAll(async () => {
    port = await freePort();
    const env = { STEPWISE_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: undefined };
    server = await startLocalServerProcess({ port, env });
    ({ client, userId } = await newAccount('apprcrash', server.url));
    const wf = await client.post('/api/v1/workflows', {
      name: 'approval across a crash',
      tasks: [
        { name: 'before', type: 'transform', payload: { expression: '"before"' } },
        { name: 'gate', type: 'approval', dependencies: ['before'], payload: { message: 'Ship?', timeout: '1h' } },
        { name: 'after', type: 'transform', dependencies: ['gate'], payload: { expression: 'steps.gate.output.decision' } },
      ],
    });
    const run = await client.post(`/api/v1/workflows/${wf.body.id}/run`, { input: {} });
    executionId = run.body.execution_id as string;
    await waitForExecution(client, executionId, (b) => b.waiting_nodes?.includes('gate'));
    await server.stop('SIGKILL');
    server = await startLocalServerProcess({ port, env });
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is still waiting after the restart, and approving it then completes the run', async () => {
    const waiting = await waitForExecution(client, executionId, (b) => b.waiting_nodes?.includes('gate'), 60_000);
    expect(waiting.status).toBe('running');
    expect((await client.get(`/api/v1/approvals?execution_id=${executionId}`)).body.approvals).toHaveLength(1);
    // The replayed Task registers its new token once the engine has resumed the run; a decision before that finds the old one closed.
    const decided = await client.post(`/api/v1/executions/${executionId}/approvals/gate`, { decision: 'approve', comment: 'after the crash' });
    expect(decided.status).toBe(200);
    const done = await waitForExecution(client, executionId, undefined, 60_000);
    expect(done).toMatchObject({ status: 'completed', result: 'approve' });
    expect(done.tasks.find((t: any) => t.node_id === 'gate')).toMatchObject({ status: 'completed', result: { decision: 'approve', comment: 'after the crash', decided_by: userId } });
  }, 150_000);
});
