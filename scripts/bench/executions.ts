import { cpus } from 'node:os';
import { signIn, untilEnded, type BenchClient } from './api-client.ts';
import { startServer } from './local-server.ts';
import { startLoopbackTarget } from './loopback-target.ts';
import { measureRunCost } from './run-cost.ts';
import { measureExpressionOverhead } from './expression-overhead.ts';
import { measureRunnerOverhead, RUNNER_COST_BEFORE } from './runner-overhead.ts';
import { fmt, percentile, runLoad, type LoadResult } from './stats.ts';

const CONCURRENCY = 8;
const SECONDS = 8;
const RUNS = 40;
const CHAIN = 5;
const SUSTAIN_CLIENTS = 4;
const SUSTAIN_SECONDS = 20;
const FAN_OUT = 8;

/** One `http.request` node calling the loopback target. */
const singleHttp = (target: string) => ({ name: 'one http call', tasks: [{ name: 'call', type: 'http.request', payload: { url: `${target}/items/1` } }] });

/** A chain of `transform` nodes: pure orchestration, so the per-node cost reads off the difference to one node. */
const chain = (nodes: number) => ({
  name: `chain of ${nodes}`,
  tasks: Array.from({ length: nodes }, (_, i) => ({ name: `n${i}`, type: 'transform', dependencies: i ? [`n${i - 1}`] : [], payload: { expression: i ? `steps.n${i - 1}.output + 1` : 'input.start' } })),
});

/**
 * The 10-node DAG: fetch → 8 parallel calls that each use fetch's answer → merge, which posts
 * what two of them returned. Every node is an `http.request` to the loopback target.
 */
export const tenNodeDag = (target: string) => ({
  name: 'ten-node dag',
  tasks: [
    { name: 'fetch', type: 'http.request', payload: { url: `${target}/seed` } },
    ...Array.from({ length: FAN_OUT }, (_, i) => ({
      name: `part${i}`,
      type: 'http.request',
      dependencies: ['fetch'],
      payload: { url: `${target}/parts/${i}`, query: { seed: '{{steps.fetch.output.body.value}}' } },
    })),
    {
      name: 'merge',
      type: 'http.request',
      dependencies: Array.from({ length: FAN_OUT }, (_, i) => `part${i}`),
      payload: { url: `${target}/merge`, method: 'POST', body: { first: '{{steps.part0.output.body.value}}', last: `{{steps.part${FAN_OUT - 1}.output.body.value}}` } },
    },
  ],
});

/**
 * Runs on the local engine: what starting a run costs next to a plain task write; how long a run
 * takes end to end (one http call to loopback, and a chain, so per-node orchestration reads off
 * the difference); when a WebSocket subscriber hears the end of the run; how many 10-node DAG runs
 * a minute the local engine sustains; the task runner's own overhead next to the bare HTTP call;
 * and what a run costs on AWS, from the counts measured here.
 */
export async function benchExecutions(dynamoEndpoint: string): Promise<string> {
  const target = await startLoopbackTarget();
  try {
    const overhead = await measureRunnerOverhead(target.url);
    const expressions = await measureExpressionOverhead();
    const server = await startServer(dynamoEndpoint);
    let measured;
    try {
      measured = await onServer(server.url, target.url);
    } finally {
      await server.stop();
    }
    const cost = await measureRunCost({ dynamoEndpoint, workflow: tenNodeDag(target.url), runnerMs: overhead.runner.p50, otherMs: overhead.overhead.p50 });
    const { results, one, many, liveOne, liveMany, dag, single } = measured;
    const reference = results[0]!;
    const start = results[1]!;
    const perNode = (many.p50 - one.p50) / (CHAIN - 1);
    const calls = callList(overhead.callsPerTask);
    return [
      '## Executions (local engine) vs POST /tasks',
      '',
      `The same \`bin/local.ts\` server and DynamoDB Local for every row; \`http.request\` nodes call a loopback JSON service in the benchmark process that answers at once. Load rows: closed loop, ${CONCURRENCY} clients, ${SECONDS} s. End-to-end rows: ${RUNS} runs one after another, each timed from \`POST …/run\` until \`GET /executions/{id}\` (polled every 5 ms) says \`completed\`.`,
      '',
      '| workload | req/s | p50 ms | p99 ms | errors |',
      '|---|---:|---:|---:|---:|',
      ...results.map((r) => `| ${r.name} | ${fmt(r.throughput, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} |`),
      '',
      '| run to completion | p50 ms | p99 ms |',
      '|---|---:|---:|',
      `| 1 node: \`http.request\` to loopback | ${fmt(one.p50)} | ${fmt(one.p99)} |`,
      `| ${CHAIN}-node chain of \`transform\` | ${fmt(many.p50)} | ${fmt(many.p99)} |`,
      `| 1 node, until the last WebSocket message (\`execution_completed\` on \`/ws/executions/{id}\`) | ${fmt(liveOne.p50)} | ${fmt(liveOne.p99)} |`,
      `| ${CHAIN}-node chain, until the last WebSocket message | ${fmt(liveMany.p50)} | ${fmt(liveMany.p99)} |`,
      '',
      `- Starting a run: ${fmt((start.throughput / reference.throughput) * 100, 0)}% of \`POST /tasks\` throughput. A start writes the execution, its idempotency claim and counters in one transaction, then one task item per node, starts the engine and records \`running\`.`,
      `- Live updates: at the median, the last WebSocket message comes ${fmt(liveOne.p50 - one.p50)} ms (1 node) and ${fmt(liveMany.p50 - many.p50)} ms (${CHAIN} nodes) later than polling \`GET /executions/{id}\` every 5 ms sees \`completed\` (negative: sooner). The message travels table → stream poller → bus → socket; the poll is the reference measured in the same run.`,
      `- Each further node adds about ${fmt(perNode)} ms (p50, the chain against one node): the runner's attempt record (whose condition is the stopped-run check), output and log writes, and the engine's state transitions. On AWS the same work runs in the task-runner Lambda per node, plus Step Functions' own transition latency.`,
      '',
      '### Sustained runs of a 10-node DAG',
      '',
      `Closed loop, ${SUSTAIN_CLIENTS} clients, ${SUSTAIN_SECONDS} s each: start a run, poll it (every 20 ms) until \`completed\`, start the next. The DAG is \`fetch\` → ${FAN_OUT} parallel calls using its answer → \`merge\` posting two of theirs, all \`http.request\` to loopback; the reference row is the 1-node workflow in the same harness.`,
      '',
      '| workflow | runs per minute | run p50 ms | run p99 ms | failed |',
      '|---|---:|---:|---:|---:|',
      `| 1 node (reference) | ${fmt(single.throughput * 60, 0)} | ${fmt(single.p50)} | ${fmt(single.p99)} | ${single.errors} |`,
      `| 10-node DAG | ${fmt(dag.throughput * 60, 0)} | ${fmt(dag.p50)} | ${fmt(dag.p99)} | ${dag.errors} |`,
      '',
      `- ${fmt(dag.throughput * 60 * 10, 0)} node executions per minute in the DAG against ${fmt(single.throughput * 60, 0)} in 1-node runs: a node inside a run costs ${fmt((single.throughput / (dag.throughput * 10)) * 100, 0)}% of a whole 1-node run. The local engine, the server and DynamoDB Local share this machine's ${cpus().length} cores; on AWS each task is its own Lambda invocation and Step Functions schedules the states.`,
      '',
      '### Task-runner overhead per task',
      '',
      `In process against a DynamoDB Local of its own (the shared one slows down as earlier sections fill it, so the reference would not be like for like): the runner executing an \`http.request\` node (a fresh execution each time), next to the bare GET it makes through the same SSRF-guarded client, alternated sample by sample; ${overhead.samples} samples after warm-up.`,
      '',
      '| per task | p50 ms | p99 ms |',
      '|---|---:|---:|',
      `| bare HTTP call to loopback (reference) | ${fmt(overhead.bare.p50, 2)} | ${fmt(overhead.bare.p99, 2)} |`,
      `| task runner, whole node | ${fmt(overhead.runner.p50, 2)} | ${fmt(overhead.runner.p99, 2)} |`,
      `| runner overhead (runner − its bare call, per sample) | ${fmt(overhead.overhead.p50, 2)} | ${fmt(overhead.overhead.p99, 2)} |`,
      '',
      '| table cost per task | calls | WRU | RRU |',
      '|---|---|---:|---:|',
      `| before the journal rework (main at 0ba96a7, same harness) | ${callList(RUNNER_COST_BEFORE.calls)} | ${fmt(RUNNER_COST_BEFORE.writeUnits, 1)} | ${fmt(RUNNER_COST_BEFORE.readUnits, 1)} |`,
      `| now | ${calls} | ${fmt(overhead.writeUnitsPerTask, 1)} | ${fmt(overhead.readUnitsPerTask, 1)} |`,
      '',
      `- The overhead is the runner's table calls, each a DynamoDB Local round trip on this machine: the attempt record (one conditional UpdateItem that also refuses a stopped run and returns a completed node's answer), then the outcome record and, at the same time, the log lines (one BatchWriteItem): two round trips. The account counters are not on this path: they follow the change stream, one ADD per account per stream batch (docs/architecture.md#counters-follow-the-change-stream), which the run-cost section below counts. Request units are DynamoDB Local's \`ConsumedCapacity\` for those calls (indexes included), averaged over 20 more nodes run through the metering proxy after the timed ones.`,
      '',
      '### JSONata in worker threads',
      '',
      `Transform expressions and choice conditions run in a pool of worker threads, so one that never yields (a catastrophic regular expression, an endless loop) is stopped at its 10 s deadline instead of freezing the process. The cost per evaluation of \`steps.n0.output + 1\` over a runner-sized scope, next to the same compiled expression evaluated in process, alternated sample by sample; ${expressions.samples} samples after warm-up.`,
      '',
      '| per evaluation | p50 ms | p99 ms |',
      '|---|---:|---:|',
      `| in process (reference) | ${fmt(expressions.inProcess.p50, 3)} | ${fmt(expressions.inProcess.p99, 3)} |`,
      `| worker pool (message round trip, compile cached in the worker) | ${fmt(expressions.pool.p50, 3)} | ${fmt(expressions.pool.p99, 3)} |`,
      `| overhead (pool − in process, per sample) | ${fmt(expressions.overhead.p50, 3)} | ${fmt(expressions.overhead.p99, 3)} |`,
      '',
      '### Estimated AWS cost per 1,000 runs of the 10-node DAG',
      '',
      ...cost,
      '',
    ].join('\n');
  } finally {
    await target.close();
  }
}

const callList = (calls: Readonly<Record<string, number>>) => Object.entries(calls).map(([op, n]) => `${fmt(n, n % 1 ? 1 : 0)} ${op}`).join(', ');

async function onServer(url: string, target: string) {
  const client = await signIn(url, 'benchruns');
  const create = async (body: unknown) => String((await client.call('POST', '/api/v1/workflows', body)).id);
  const single = await create(singleHttp(target));
  const transformOne = await create(chain(1));
  const chained = await create(chain(CHAIN));
  const dag = await create(tenNodeDag(target));

  const results: LoadResult[] = [];
  results.push(await runLoad('API POST /api/v1/tasks (reference)', async (i) => void (await client.call('POST', '/api/v1/tasks', { name: `bench ${i}` })), { concurrency: CONCURRENCY, seconds: SECONDS }));
  results.push(await runLoad('POST /api/v1/workflows/{id}/run → 202 (1 transform node)', async () => void (await client.call('POST', `/api/v1/workflows/${transformOne}/run`, { input: { start: 1 } })), { concurrency: CONCURRENCY, seconds: SECONDS }));
  // Let the runs started above finish before timing complete runs one at a time.
  await new Promise((r) => setTimeout(r, 5_000));

  const timedRuns = async (workflowId: string) => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await runToEnd(client, workflowId, 5);
      samples.push(performance.now() - started);
    }
    return stats(samples);
  };
  const one = await timedRuns(single);
  const many = await timedRuns(chained);
  const liveOne = await untilLastMessage(client, single);
  const liveMany = await untilLastMessage(client, chained);

  const sustained = (name: string, workflowId: string) => runLoad(name, () => runToEnd(client, workflowId, 20), { concurrency: SUSTAIN_CLIENTS, seconds: SUSTAIN_SECONDS });
  const singleLoad = await sustained('1 node', single);
  await new Promise((r) => setTimeout(r, 2_000));
  const dagLoad = await sustained('10-node DAG', dag);
  return { results, one, many, liveOne, liveMany, single: singleLoad, dag: dagLoad };
}

/** Starts a run and polls it until it completes; a run that ends any other way is an error. */
async function runToEnd(client: BenchClient, workflowId: string, pollMs: number): Promise<void> {
  const { execution_id } = (await client.call('POST', `/api/v1/workflows/${workflowId}/run`, { input: { start: 1 } })) as { execution_id: string };
  for (;;) {
    const got = await client.call('GET', `/api/v1/executions/${execution_id}`);
    if (got.status === 'completed') return;
    if (got.status !== 'running' && got.status !== 'pending') throw new Error(`run ${execution_id} ended ${String(got.status)}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** From `POST …/run` until the socket delivers `execution_completed` (the last message of a run). */
async function untilLastMessage(client: BenchClient, workflowId: string) {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const { execution_id } = (await client.call('POST', `/api/v1/workflows/${workflowId}/run`, { input: { start: 1 } })) as { execution_id: string };
    await untilEnded(client, execution_id);
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

function stats(samples: number[]) {
  const sorted = samples.toSorted((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}
