/** IR → ASL. `compileWorkflow` is the product compiler; `compileNaive` is the level-by-level benchmark reference. */
import { NODE_TYPES } from '../node-types.ts';
import { allNodes, ownParams, type WorkflowIr } from '../ir.ts';
import type { ValidationIssue } from '../issues.ts';
import { isNetworkRepoUrl } from '../jobs.ts';
import { findTemplates, parseTemplate } from '../templates.ts';
import type { Strategy } from '../structure/series-parallel.ts';
import { MAX_DEFINITION_BYTES, MAX_HISTORY_EVENTS, type AslStateMachine } from '../asl/types.ts';
import { emitRoot, type EmitCounts, type MachineCtx, type TaskStateInfo, type TrainingTarget } from './emit.ts';
import { DEFAULT_ML_ALGORITHM, isMlAlgorithm, MODEL_PREFIX, trainingImage, TRAINING_REGIONS } from '../ml-training.ts';
import { planWorkflow, type Plan, type PlanStats } from './plan.ts';
import { toWholeSeconds } from '../durations.ts';
import { utf8Length } from '../utf8.ts';

export interface CompileOptions {
  /** ARN of the task-runner Lambda every runner Task invokes. */
  taskRunnerArn: string;
  /** The AWS partition the machine runs in (`aws` by default; `aws-cn`, `aws-us-gov`): Task resources name it. */
  partition?: string;
  workflowId: string;
  accountId: string;
  /** When set, subworkflow calls carry `state_machine_arn = prefix + workflow_id` for the runner. */
  stateMachineArnPrefix?: string;
  /** Overrides the top-level Comment. */
  comment?: string;
  /** Retry jitter; FULL in production, NONE makes retry timing predictable in tests. */
  jitter?: 'FULL' | 'NONE';
  /** Retry Lambda service errors (throttling, 5xx) three times regardless of the node policy. Default true. */
  lambdaServiceRetry?: boolean;
  /** Overrides config.max_concurrency (e.g. for benchmarks). */
  maxConcurrency?: number;
  /** Decomposition strategy; `levels` is what compileNaive uses. */
  strategy?: Strategy;
  /**
   * Lay out prime (non-series-parallel) sub-orders as gated blocks where the compiler's model says they beat
   * the staged cut (README.md, "Gated layout"). Default true; false gives the staged layout (benchmark reference).
   */
  gates?: boolean;
  /**
   * The stage's CodeBuild project for `generic` and `ci` nodes (AWS): they become prepare → startBuild.sync
   * → record states (statemachines/jobs.ts). Without it (local mode) they are runner Tasks the runner executes.
   */
  jobsProject?: string;
  /** AWS: ml_training nodes become prepare → sagemaker:createTrainingJob.sync → record states (statemachines/ml-training.ts). */
  training?: TrainingTarget;
}

export interface RunEstimate {
  /** For a successful run with every map empty (choices: the costliest branch). */
  fixed: number;
  /** Extra per item of each map (nested maps' own items excluded). */
  per_map_item: Record<string, number>;
}

export interface CompileStats extends PlanStats {
  bytes: number;
  states: EmitCounts & { total: number };
  /** Nodes in the definition, nested ones included. */
  nodes: number;
  /** State transitions (states entered) of a successful run. */
  transitions: RunEstimate;
  /** Standard-workflow history events of a successful run without retries. */
  history_events: RunEstimate;
}

export interface CompiledStateMachine {
  ok: true;
  definition: AslStateMachine;
  /** `definition` serialised; byte-identical for identical input. */
  json: string;
  /** Every Task state by name: what the local engine binds handlers to. */
  task_states: Record<string, TaskStateInfo>;
  stats: CompileStats;
  warnings: ValidationIssue[];
}

export type CompileResult = CompiledStateMachine | { ok: false; issues: ValidationIssue[] };

function referencedNodes(ir: WorkflowIr): Set<string> {
  const out = new Set<string>();
  for (const node of allNodes(ir)) {
    for (const t of findTemplates(ownParams(node))) if (t.ref?.kind === 'steps') out.add(t.ref.node);
    // A script's or send_email's `data` is its predecessors' output, read from the journal like a template's.
    if (NODE_TYPES[node.type].readsPrevious?.(node.params)) for (const id of node.dependencies) out.add(id);
  }
  return out;
}

/**
 * Approval nodes a `choice` right after them routes on (a condition reads `steps.<approval id>`): a
 * rejection there is the choice's to route, so it completes the node (`on_reject: continue`) unless the
 * node says `on_reject` itself (docs/api.md#approvals).
 */
function routedApprovals(ir: WorkflowIr): Set<string> {
  const nodes = allNodes(ir);
  const approvals = new Set(nodes.filter((n) => n.type === 'approval').map((n) => n.id));
  const out = new Set<string>();
  for (const node of nodes) {
    if (node.type !== 'choice') continue;
    const conditions = ((node.params.choices ?? []) as { when?: unknown }[]).map((c) => String(c.when ?? ''));
    for (const id of node.dependencies) {
      if (!approvals.has(id)) continue;
      const reads = new RegExp(`\\bsteps\\s*(?:\\.\\s*${escapeRegExp(id)}(?![A-Za-z0-9_-])|\\[\\s*["']${escapeRegExp(id)}["']\\s*\\])`);
      if (conditions.some((when) => reads.test(when))) out.add(id);
    }
  }
  return out;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const TASK_EVENTS = 5; // entered, scheduled, started, succeeded, exited
const SIMPLE_EVENTS = 2; // entered, exited
const BLOCK_EVENTS = 4; // entered, started, succeeded, exited

/** Counts a successful run: [transitions, history events], plus per-map-item costs. */
function estimate(plan: Plan, ctx: MachineCtx, perItem: { t: Record<string, number>; h: Record<string, number> }): [number, number] {
  switch (plan.kind) {
    case 'node': {
      const info = ctx.taskStates[plan.node.id];
      if (!info) return [1, SIMPLE_EVENTS];
      const extra = info.action === 'resolve_wait' ? 1 : 0;
      return [1 + extra, TASK_EVENTS + extra * SIMPLE_EVENTS];
    }
    case 'seq':
      return plan.items.map((p) => estimate(p, ctx, perItem)).reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0]);
    case 'par':
      return plan.items.map((p) => estimate(p, ctx, perItem)).reduce(([a, b], [c, d]) => [a + c, b + d], [1, BLOCK_EVENTS]);
    case 'parallel-node':
      return plan.branches.map((p) => estimate(p, ctx, perItem)).reduce(([a, b], [c, d]) => [a + c, b + d], [1, BLOCK_EVENTS]);
    case 'choice': {
      // The costliest way through: route into some zone and follow its continuations.
      const own = plan.zones.map((z) => estimate(z.plan, ctx, perItem));
      const through: Array<[number, number]> = [];
      for (let z = plan.zones.length - 1; z >= 0; z--) {
        const next = plan.zones[z]?.next;
        const tail = next !== undefined ? (through[next] ?? [0, 0]) : [0, 0];
        through[z] = [(own[z]?.[0] ?? 0) + (tail[0] ?? 0), (own[z]?.[1] ?? 0) + (tail[1] ?? 0)];
      }
      const worst = through.reduce((m, a) => (a[1] > m[1] ? a : m), [0, 0] as [number, number]);
      return [2 + worst[0], TASK_EVENTS + SIMPLE_EVENTS + worst[1]];
    }
    case 'gated': {
      // Per unit: the unit, plus a gate (a callback Task) and a release (a Task) where it has them.
      let sum: [number, number] = [1, BLOCK_EVENTS];
      for (const step of plan.chains.flat()) {
        const [t, h] = estimate(step.plan, ctx, perItem);
        const calls = (step.after.length > 0 ? 1 : 0) + (step.releases.length > 0 ? 1 : 0);
        sum = [sum[0] + t + calls, sum[1] + h + calls * TASK_EVENTS];
      }
      return sum;
    }
    case 'map-node': {
      const [t, h] = estimate(plan.iterator, ctx, perItem);
      perItem.t[plan.node.id] = t;
      perItem.h[plan.node.id] = h + 2; // MapIterationStarted/Succeeded
      const resolver = ctx.taskStates[plan.node.id] ? 1 : 0;
      return [1 + resolver, BLOCK_EVENTS + resolver * TASK_EVENTS];
    }
  }
}

/**
 * What a job node may not do where it runs in CodeBuild: take a secret (its variables are in the
 * execution history, and the shared project role must never read one account's secrets for another:
 * docs/deploy.md, "Jobs"), or clone a repository from a path on this machine.
 */
function jobIssues(ir: WorkflowIr): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of allNodes(ir)) {
    if (node.type !== 'generic' && node.type !== 'ci') continue;
    if (findTemplates(node.params).some((t) => parseTemplate(t.expression).ref?.kind === 'secrets')) {
      issues.push({
        path: node.params_source,
        node: node.id,
        code: 'secret_not_allowed',
        message: `node "${node.id}": a ${node.type} job on AWS cannot take {{secrets.*}}: its variables would enter the execution history, and the jobs project role reads no account's secrets (docs/deploy.md, "Jobs")`,
      });
    }
    const repo = node.params.repo_url;
    if (node.type === 'ci' && typeof repo === 'string' && findTemplates(repo).length === 0 && !isNetworkRepoUrl(repo)) {
      issues.push({ path: `${node.params_source}.repo_url`, node: node.id, field: 'repo_url', code: 'invalid_params', message: `node "${node.id}": on AWS repo_url must be an https:// or ssh repository URL (CodeBuild clones it)` });
    }
  }
  return issues;
}

/**
 * What an ml_training node must be where SageMaker trains it: literal params (the training request is fixed
 * in the state machine, so nothing reaches the execution history but what the definition says), a dataset
 * in the stage's data bucket outside the models prefix (the SageMaker role reads only that), a region with
 * the algorithm's image, and linear-learner's required predictor_type.
 */
function trainingIssues(ir: WorkflowIr, target: TrainingTarget): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of allNodes(ir)) {
    if (node.type !== 'ml_training') continue;
    const issue = (field: string, message: string) => issues.push({ path: `${node.params_source}.${field}`, node: node.id, field, code: 'invalid_params', message: `node "${node.id}": ${message}` });
    const p = node.params as { dataset_url?: unknown; algorithm?: unknown; hyperparameters?: Record<string, unknown> };
    if (findTemplates(node.params).length > 0) {
      issues.push({ path: node.params_source, node: node.id, code: 'invalid_params', message: `node "${node.id}": on AWS ml_training params are literal (the SageMaker request is part of the state machine): no {{templates}}` });
      continue;
    }
    const algorithm = isMlAlgorithm(p.algorithm) ? p.algorithm : DEFAULT_ML_ALGORITHM;
    const url = String(p.dataset_url);
    const inBucket = url.startsWith(`s3://${target.bucket}/`) && !url.startsWith(`s3://${target.bucket}/${MODEL_PREFIX}`);
    if (!inBucket) issue('dataset_url', `on AWS dataset_url must be s3://${target.bucket}/<key> (the stage's data bucket, outside ${MODEL_PREFIX}): the SageMaker role reads only that`);
    if (!trainingImage(algorithm, target.region)) issue('algorithm', `SageMaker's ${algorithm} image is not mapped for region ${target.region} (mapped: ${TRAINING_REGIONS.join(', ')})`);
    if (algorithm === 'linear-learner' && p.hyperparameters?.predictor_type === undefined) issue('hyperparameters.predictor_type', 'linear-learner on SageMaker needs hyperparameters.predictor_type (binary_classifier, multiclass_classifier or regressor)');
  }
  return issues;
}

function compileWith(ir: WorkflowIr, options: CompileOptions, strategy: Strategy): CompileResult {
  const issues = [...(options.jobsProject !== undefined ? jobIssues(ir) : []), ...(options.training !== undefined ? trainingIssues(ir, options.training) : [])];
  if (issues.length > 0) return { ok: false, issues };
  const maxConcurrency = options.maxConcurrency ?? ir.config.max_concurrency;
  const gates = options.gates !== false && strategy !== 'levels';
  const { plan, stats } = planWorkflow(ir, { strategy, maxConcurrency, gates });
  const ctx: MachineCtx = {
    options: {
      taskRunnerArn: options.taskRunnerArn,
      partition: options.partition ?? 'aws',
      workflowId: options.workflowId,
      accountId: options.accountId,
      ...(options.stateMachineArnPrefix !== undefined ? { stateMachineArnPrefix: options.stateMachineArnPrefix } : {}),
      jitter: options.jitter ?? 'FULL',
      lambdaServiceRetry: options.lambdaServiceRetry ?? true,
      ...(options.jobsProject !== undefined ? { jobsProject: options.jobsProject } : {}),
      ...(options.training !== undefined ? { training: options.training } : {}),
    },
    referenced: referencedNodes(ir),
    routedApprovals: routedApprovals(ir),
    names: new Set(),
    taskStates: {},
    counters: { parallel: 0, scope: 0 },
    counts: { task: 0, parallel: 0, map: 0, choice: 0, wait: 0, pass: 0, fail: 0, succeed: 0 },
  };
  const root = emitRoot(ctx, plan);
  const name = typeof ir.metadata.name === 'string' ? ` "${ir.metadata.name}"` : '';
  const definition: AslStateMachine = {
    Comment: options.comment ?? `Stepwise workflow ${options.workflowId}${name} (${ir.dialect}, ${strategy}); generated, do not edit`,
    StartAt: root.StartAt,
    States: root.States,
    TimeoutSeconds: toWholeSeconds(ir.config.timeout_seconds),
  };
  const json = JSON.stringify(definition);
  const bytes = utf8Length(json);
  if (bytes > MAX_DEFINITION_BYTES) {
    // Gates add two small Tasks per gated unit at most; when they tip the size over, the staged layout may fit.
    if (gates && stats.gated_blocks > 0) return compileWith(ir, { ...options, gates: false }, strategy);
    return {
      ok: false,
      issues: [{ path: '', code: 'compiled_too_large', message: `the generated state machine is ${bytes} bytes; Step Functions accepts at most ${MAX_DEFINITION_BYTES}. Split the workflow with subworkflow nodes or shrink large params.` }],
    };
  }
  const perItem = { t: {} as Record<string, number>, h: {} as Record<string, number> };
  const [t, h] = estimate(plan, ctx, perItem);
  const warnings: ValidationIssue[] = [];
  const history = h + 2;
  if (history > MAX_HISTORY_EVENTS) {
    warnings.push({ path: '', code: 'history_limit', severity: 'warning', message: `a successful run needs about ${history} history events; executions fail at ${MAX_HISTORY_EVENTS}` });
  }
  const total = Object.values(ctx.counts).reduce((s, c) => s + c, 0);
  return {
    ok: true,
    definition,
    json,
    task_states: ctx.taskStates,
    stats: {
      ...stats,
      bytes,
      states: { ...ctx.counts, total },
      nodes: allNodes(ir).length,
      transitions: { fixed: t, per_map_item: perItem.t },
      history_events: { fixed: history, per_map_item: perItem.h },
    },
    warnings,
  };
}

/** The product compiler: exact for series-parallel DAGs, heuristic cuts for the rest (README.md). */
export function compileWorkflow(ir: WorkflowIr, options: CompileOptions): CompileResult {
  return compileWith(ir, options, options.strategy ?? 'series-parallel');
}

/** Benchmark reference: one Parallel per topological level, a barrier between levels. */
export function compileNaive(ir: WorkflowIr, options: CompileOptions): CompileResult {
  return compileWith(ir, options, 'levels');
}
