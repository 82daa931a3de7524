import { WebSocket } from 'ws';
import { startServer } from './local-server.ts';
import { fmt, percentile, runLoad, type LoadResult } from './stats.ts';

const CONCURRENCY = 8;
const SECONDS = 8;
const RUNS = 40;
const CHAIN = 5;

/**
 * Runs on the local engine: what starting a run costs next to a plain task write, how long a run
 * takes end to end for one node and for a chain (so the per-node orchestration overhead reads off
 * the difference), and when a WebSocket subscriber hears the end of the run.
 */
export async function benchExecutions(dynamoEndpoint: string): Promise<string> {
  const server = await startServer(dynamoEndpoint);
  try {
    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const username = `benchruns${Date.now()}`;
    await call('POST', '/api/v1/auth/register', { username, password: 'benchmark-password' });
    const { token } = (await call('POST', '/api/v1/auth/login', { username, password: 'benchmark-password' })) as { token: string };
    const workflow = async (nodes: number) =>
      String(
        (
          await call(
            'POST',
            '/api/v1/workflows',
            { name: `chain of ${nodes}`, tasks: Array.from({ length: nodes }, (_, i) => ({ name: `n${i}`, type: 'transform', dependencies: i ? [`n${i - 1}`] : [], payload: { expression: i ? `steps.n${i - 1}.output + 1` : 'input.start' } })) },
            token,
          )
        ).id,
      );
    const single = await workflow(1);
    const chain = await workflow(CHAIN);

    const results: LoadResult[] = [];
    results.push(await runLoad('API POST /api/v1/tasks (reference)', async (i) => void (await call('POST', '/api/v1/tasks', { name: `bench ${i}` }, token)), { concurrency: CONCURRENCY, seconds: SECONDS }));
    results.push(await runLoad('POST /api/v1/workflows/{id}/run → 202 (1 transform node)', async () => void (await call('POST', `/api/v1/workflows/${single}/run`, { input: { start: 1 } }, token)), { concurrency: CONCURRENCY, seconds: SECONDS }));
    // Let the runs started above finish before timing complete runs one at a time.
    await new Promise((r) => setTimeout(r, 5_000));

    const endToEnd = async (workflowId: string) => {
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const { execution_id } = (await call('POST', `/api/v1/workflows/${workflowId}/run`, { input: { start: 1 } }, token)) as { execution_id: string };
        for (;;) {
          const got = await call('GET', `/api/v1/executions/${execution_id}`, undefined, token);
          if (got.status === 'completed') break;
          if (got.status !== 'running' && got.status !== 'pending') throw new Error(`run ${execution_id} ended ${String(got.status)}`);
          await new Promise((r) => setTimeout(r, 5));
        }
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
    };
    const one = await endToEnd(single);
    const many = await endToEnd(chain);
    const perNode = (many.p50 - one.p50) / (CHAIN - 1);

    // Live updates: from POST …/run until the socket delivers `execution_completed` (the last message).
    const wsBase = server.url.replace(/^http/, 'ws');
    const live = async (workflowId: string) => {
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const { execution_id } = (await call('POST', `/api/v1/workflows/${workflowId}/run`, { input: { start: 1 } }, token)) as { execution_id: string };
        await new Promise<void>((resolve, reject) => {
          const socket = new WebSocket(`${wsBase}/ws/executions/${execution_id}`, { headers: { Authorization: `Bearer ${token}` } });
          socket.on('message', (raw) => {
            const message = JSON.parse(String(raw)) as { type: string };
            if (message.type === 'execution_completed' || message.type === 'execution_failed') {
              samples.push(performance.now() - started);
              socket.close();
              resolve();
            }
          });
          socket.on('error', reject);
        });
      }
      samples.sort((a, b) => a - b);
      return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
    };
    const liveOne = await live(single);
    const liveMany = await live(chain);

    const reference = results[0]!;
    const start = results[1]!;
    return [
      '## Executions (local engine) vs POST /tasks',
      '',
      `The same \`bin/local.ts\` server and DynamoDB Local for every row. Load rows: closed loop, ${CONCURRENCY} clients, ${SECONDS} s. End-to-end rows: ${RUNS} runs one after another, each timed from \`POST …/run\` until \`GET /executions/{id}\` (polled every 5 ms) says \`completed\`; nodes are \`transform\`, so the numbers are orchestration, not user work.`,
      '',
      '| workload | req/s | p50 ms | p99 ms | errors |',
      '|---|---:|---:|---:|---:|',
      ...results.map((r) => `| ${r.name} | ${fmt(r.throughput, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} |`),
      '',
      '| run to completion | p50 ms | p99 ms |',
      '|---|---:|---:|',
      `| 1 node | ${fmt(one.p50)} | ${fmt(one.p99)} |`,
      `| ${CHAIN}-node chain | ${fmt(many.p50)} | ${fmt(many.p99)} |`,
      `| 1 node, until the last WebSocket message (\`execution_completed\` on \`/ws/executions/{id}\`) | ${fmt(liveOne.p50)} | ${fmt(liveOne.p99)} |`,
      `| ${CHAIN}-node chain, until the last WebSocket message | ${fmt(liveMany.p50)} | ${fmt(liveMany.p99)} |`,
      '',
      `- Starting a run: ${fmt((start.throughput / reference.throughput) * 100, 0)}% of \`POST /tasks\` throughput. A start writes the execution, its idempotency claim and counters in one transaction, then one task item per node, starts the engine and records \`running\`.`,
      `- Live updates: the last WebSocket message arrives ${fmt(liveOne.p50 - one.p50)} ms (1 node) and ${fmt(liveMany.p50 - many.p50)} ms (${CHAIN} nodes) after polling sees \`completed\` (p50): the message travels table → stream poller → bus → socket, and the poll is the reference measured in the same run.`,
      `- Each further node adds about ${fmt(perNode)} ms (p50): the runner's attempt record, execution-status check, output and log writes, and the engine's state transitions. On AWS the same work runs in the task-runner Lambda per node, plus Step Functions' own transition latency.`,
      '',
    ].join('\n');
  } finally {
    await server.stop();
  }
}
