/**
 * Workflow compiler benchmark: compile time, ASL size, state transitions per node, and makespan ÷ critical
 * path on a fixed seeded corpus executed in aws-local-stepfunctions — the series-parallel compiler next to
 * the naive level-by-level one, in the same run.
 */
import { compileNaive, compileWorkflow, type CompileOptions, type CompiledStateMachine } from '../../statemachines/compile/compile.ts';
import { parseWorkflow } from '../../statemachines/parse.ts';
import { validateAsl } from '../../statemachines/asl/validate-asl.ts';
import { dagFromEdges, longestPath, topoOrder } from '../../statemachines/structure/dag.ts';
import { prng } from '../../statemachines/structure/prng.ts';
import { decompose, treeMakespan } from '../../statemachines/structure/series-parallel.ts';
import type { WorkflowIr } from '../../statemachines/ir.ts';
import { BENCH_ACCOUNT, runCounted } from './asl-run.ts';
import { fmt, median, percentile } from './stats.ts';

const OPTIONS: CompileOptions = {
  taskRunnerArn: 'arn:aws:lambda:us-east-1:123456789012:function:stepwise-task-runner',
  workflowId: 'wf_bench',
  accountId: BENCH_ACCOUNT,
  // The corpus measures scheduling, not the cap: no corpus DAG is wider than this.
  maxConcurrency: 1000,
};


export interface CorpusDag {
  name: string;
  kind: 'random' | 'series-parallel';
  n: number;
  edges: Array<[number, number]>;
  /** Task duration per node, in ms. */
  durations: number[];
}

/** Random DAG: each node depends on earlier nodes within a window, about `degree` of them. */
export function randomDag(n: number, random: () => number, degree = 2.2): Array<[number, number]> {
  const window = Math.max(2, Math.ceil(n * 0.4));
  const p = Math.min(1, degree / window);
  const edges: Array<[number, number]> = [];
  for (let j = 1; j < n; j++) for (let i = Math.max(0, j - window); i < j; i++) if (random() < p) edges.push([i, j]);
  return edges;
}

/** Series-parallel DAG by random series/parallel composition. */
export function seriesParallelDag(n: number, random: () => number): Array<[number, number]> {
  let next = 0;
  const edges: Array<[number, number]> = [];
  const build = (size: number): [number[], number[]] => {
    if (size === 1) {
      const v = next++;
      return [[v], [v]];
    }
    const left = 1 + Math.floor(random() * (size - 1));
    const series = random() < 0.55;
    const [s1, t1] = build(left);
    const [s2, t2] = build(size - left);
    if (!series) return [[...s1, ...s2], [...t1, ...t2]];
    for (const a of t1) for (const b of s2) edges.push([a, b]);
    return [s1, t2];
  };
  build(n);
  return edges;
}

/** The fixed corpus: same seed, same DAGs and durations on every run. */
export function corpus(randomCount = 50, spCount = 20): CorpusDag[] {
  const random = prng(20_260_124);
  const out: CorpusDag[] = [];
  const durations = (n: number) => Array.from({ length: n }, () => 30 + Math.floor(random() * 61));
  for (let i = 0; i < randomCount; i++) {
    const n = 8 + Math.floor(random() * 25);
    out.push({ name: `random-${i + 1}`, kind: 'random', n, edges: randomDag(n, random), durations: durations(n) });
  }
  for (let i = 0; i < spCount; i++) {
    const n = 6 + Math.floor(random() * 25);
    out.push({ name: `sp-${i + 1}`, kind: 'series-parallel', n, edges: seriesParallelDag(n, random), durations: durations(n) });
  }
  return out;
}

const taskName = (i: number) => `t${i}`;

export function flowctlBody(n: number, edges: Array<[number, number]>) {
  return {
    tasks: Array.from({ length: n }, (_, i) => ({
      name: taskName(i),
      type: 'http.request',
      payload: { url: `https://api.example.com/items/${i}`, method: 'POST', body: { item: i, input: '{{input.batch}}' } },
      dependencies: edges.filter(([, to]) => to === i).map(([from]) => taskName(from)),
    })),
  };
}

function parsed(body: unknown): WorkflowIr {
  const result = parseWorkflow(body);
  if (!result.ok || !result.ir) throw new Error(`benchmark definition invalid: ${JSON.stringify(result.issues.slice(0, 3))}`);
  return result.ir;
}

function compiled(result: ReturnType<typeof compileWorkflow>): CompiledStateMachine {
  if (!result.ok) throw new Error(`benchmark compile failed: ${JSON.stringify(result.issues)}`);
  return result;
}

interface RunMeasure {
  makespan: number;
  transitions: number;
  violations: number;
}

/** Executes with handlers that sleep each node's duration; checks every dependency held. */
async function execute(machine: CompiledStateMachine, dag: CorpusDag): Promise<RunMeasure> {
  const started = new Map<number, number>();
  const finished = new Map<number, number>();
  const { transitions, ms: makespan } = await runCounted(machine, { batch: dag.name }, dag.name, async (nodeId) => {
    const node = Number(nodeId.slice(1));
    started.set(node, performance.now());
    await new Promise((resolve) => setTimeout(resolve, dag.durations[node] ?? 0));
    finished.set(node, performance.now());
  });
  let violations = 0;
  for (const [a, b] of dag.edges) if ((started.get(b) ?? 0) < (finished.get(a) ?? Number.POSITIVE_INFINITY) - 0.5) violations++;
  if (started.size !== dag.n) violations += dag.n - started.size;
  return { makespan, transitions, violations };
}

function timeIt(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

interface Summary {
  mean: number;
  median: number;
  p90: number;
  max: number;
}

function summarise(values: number[]): Summary {
  const sorted = values.toSorted((a, b) => a - b);
  return { mean: values.reduce((s, v) => s + v, 0) / values.length, median: percentile(sorted, 50), p90: percentile(sorted, 90), max: sorted.at(-1) ?? Number.NaN };
}

const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;

export async function benchCompiler(): Promise<string> {
  const lines: string[] = ['## Workflow compiler (definition → IR → ASL)', ''];

  // 1. Compile time and size on random DAGs of 10, 100 and 500 nodes.
  lines.push(
    'Random DAGs (each node depends on ~2.2 earlier ones within a window of 40% of the nodes), `http.request` nodes with small params, `max_concurrency` 10 (so the cap logic runs too). Times are medians of repeated runs after warm-up.',
    '',
    row(['nodes', 'parse + validate (ms)', 'compile (ms)', 'naive compile (ms)', 'ASL bytes', 'naive ASL bytes', 'states', 'prime sub-orders', 'synthetic pairs', 'est. history events / run']),
    row(['---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  );
  for (const n of [10, 100, 500]) {
    const random = prng(n * 7919);
    const body = { ...flowctlBody(n, randomDag(n, random)), config: { max_concurrency: 10 } };
    const ir = parsed(body);
    const options = { ...OPTIONS, maxConcurrency: undefined };
    const runs = n === 500 ? 15 : n === 100 ? 30 : 100;
    for (let i = 0; i < 3; i++) compileWorkflow(ir, options);
    const parseMs = timeIt(() => parseWorkflow(body), Math.min(runs, 15));
    const compileMs = timeIt(() => compileWorkflow(ir, options), runs);
    const naiveMs = timeIt(() => compileNaive(ir, options), runs);
    const sp = compiled(compileWorkflow(ir, options));
    const naive = compiled(compileNaive(ir, options));
    const valid = validateAsl(sp.definition).valid && validateAsl(naive.definition).valid;
    if (!valid) throw new Error(`ASL for ${n} nodes failed asl-validator`);
    lines.push(row([n, fmt(parseMs), fmt(compileMs), fmt(naiveMs), sp.stats.bytes.toLocaleString('en-US'), naive.stats.bytes.toLocaleString('en-US'), sp.stats.states.total, sp.stats.primes, sp.stats.added_pairs, sp.stats.history_events.fixed]));
  }
  lines.push('', 'Target: 500 nodes compile in < 100 ms. Every machine above passed asl-validator; Step Functions accepts definitions up to 1,048,576 bytes.', '');

  // 2. Execution of the seeded corpus in the local interpreter.
  const chainLength = 20;
  const chain: CorpusDag = { name: 'calibration', kind: 'series-parallel', n: chainLength, edges: Array.from({ length: chainLength - 1 }, (_, i) => [i, i + 1] as [number, number]), durations: Array.from({ length: chainLength }, () => 30) };
  const chainRun = await execute(compiled(compileWorkflow(parsed(flowctlBody(chain.n, chain.edges)), OPTIONS)), chain);
  const perTaskOverhead = (chainRun.makespan - 30 * chainLength) / chainLength;
  const dags = corpus();
  type Result = { dag: CorpusDag; cp: number; model: { sp: number; naive: number }; sp: RunMeasure; naive: RunMeasure };
  const results: Result[] = [];
  let invalid = 0;
  for (const dag of dags) {
    const ir = parsed(flowctlBody(dag.n, dag.edges));
    const sp = compiled(compileWorkflow(ir, OPTIONS));
    const naive = compiled(compileNaive(ir, OPTIONS));
    if (!validateAsl(sp.definition).valid || !validateAsl(naive.definition).valid) invalid++;
    const graph = dagFromEdges(dag.n, dag.edges);
    const cp = longestPath(graph, topoOrder(graph) as number[], (v) => dag.durations[v] ?? 0);
    const duration = (v: number) => dag.durations[v] ?? 0;
    results.push({
      dag,
      cp,
      model: { sp: treeMakespan(decompose(graph, { gates: true }).tree, duration) / cp, naive: treeMakespan(decompose(graph, { strategy: 'levels' }).tree, duration) / cp },
      sp: await execute(sp, dag),
      naive: await execute(naive, dag),
    });
  }

  const group = (kind: CorpusDag['kind']) => results.filter((r) => r.dag.kind === kind);
  lines.push(
    `Seeded corpus (seed 20260124): ${group('random').length} random DAGs (8–32 nodes) and ${group('series-parallel').length} series-parallel DAGs (6–30 nodes), task durations 30–90 ms. Each machine runs in aws-local-stepfunctions with handlers that sleep the node's duration; makespan is wall time from start to result, critical path the longest duration-weighted path. "model" is the same ratio computed from the block structure without the interpreter (no scheduling overhead).`,
    '',
    row(['corpus', 'compiler', 'makespan ÷ critical path: mean', 'median', 'p90', 'max', 'model mean', 'transitions / node (mean, max)', 'dependency violations']),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  );
  for (const kind of ['series-parallel', 'random'] as const) {
    const rs = group(kind);
    for (const which of ['sp', 'naive'] as const) {
      const ratio = summarise(rs.map((r) => r[which].makespan / r.cp));
      const model = summarise(rs.map((r) => r.model[which]));
      const perNode = rs.map((r) => r[which].transitions / r.dag.n);
      const violations = rs.reduce((s, r) => s + r[which].violations, 0);
      lines.push(
        row([
          kind,
          which === 'sp' ? 'series-parallel (product)' : 'naive level-by-level',
          fmt(ratio.mean, 3),
          fmt(ratio.median, 3),
          fmt(ratio.p90, 3),
          fmt(ratio.max, 3),
          fmt(model.mean, 3),
          `${fmt(perNode.reduce((s, v) => s + v, 0) / perNode.length, 2)}, ${fmt(Math.max(...perNode), 2)}`,
          violations,
        ]),
      );
    }
  }
  const randoms = group('random');
  const better = randoms.filter((r) => r.sp.makespan < r.naive.makespan * 0.98).length;
  const worse = randoms.filter((r) => r.sp.makespan > r.naive.makespan * 1.02).length;
  const speedup = summarise(randoms.map((r) => r.naive.makespan / r.sp.makespan));
  lines.push(
    '',
    `Random DAGs: the product compiler is faster than naive on ${better} of ${randoms.length} (more than 2% apart), slower on ${worse}; naive ÷ product makespan mean ${fmt(speedup.mean, 3)}, max ${fmt(speedup.max, 3)}.`,
    `Interpreter and timer overhead measured in this run: ${fmt(perTaskOverhead, 2)} ms per task on a ${chainLength}-task chain of 30 ms tasks (it lengthens every path, so it shows up in the measured ratios but not in "model").`,
    `Targets: ≤ 1.05 on series-parallel DAGs, clearly better than naive on random DAGs, ≤ 3 transitions per node. asl-validator failures in the corpus: ${invalid}.`,
    '',
  );
  return lines.join('\n');
}
