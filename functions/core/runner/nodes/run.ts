/**
 * What every node executor gets (one call of the task runner) and the helpers they share. The executors
 * themselves live one file per node type beside this one; `index.ts` is the table that names them.
 */
import jsonata from 'jsonata';
import type { TaskRunnerAction, TaskRunnerRequest } from '../../../../statemachines/task-runner-contract.ts';
import { cancelled, nonRetryable } from '../errors.ts';
import type { ChildRuns } from '../../executions/execution-service.ts';
import { ExpressionFailure, type ScriptEvaluator, type CommandRunner, type JobLogs, type ExpressionEvaluator, type HttpClient, type LambdaInvoker, type ModelRegistry, type ObjectStore } from '../ports.ts';
import { isPlainObject, type StepSnapshot, type TemplateResolver } from '../resolve-templates.ts';
import type { EmailTemplateRepository, MailSender } from '../../email/ports.ts';
import type { DataSource } from '../../data-sources/data-source.ts';
import type { SqlClient } from '../../data-sources/ports.ts';
import type { ApprovalStore } from '../../approvals/ports.ts';
import type { EtlDeps } from './etl.ts';
import type { Trainer } from '../../ml/training.ts';

/** What an approval node needs: where requests are stored (and the waiting task marked). */
export interface ApprovalRequests {
  store: Pick<ApprovalStore, 'request'>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ExecutorContext {
  /** From the execution record, never from input: ctx.secret must already be bound to this account. */
  accountId: string;
  /** The execution input. */
  input: unknown;
  /** This call's attempt of the node (1-based), as the journal counted it. */
  attempt?: number | undefined;
  step(nodeId: string): Promise<StepSnapshot | undefined>;
  secret(key: string): Promise<string | undefined>;
  /** Aborting it cancels outgoing HTTP and Lambda calls and kills commands; the run then fails with Stepwise.Cancelled. */
  signal: AbortSignal;
  /** Receives messages and data already masked. */
  log(level: LogLevel, message: string, data?: Record<string, unknown>): void;
  now(): Date;
}

export interface ExecutorDeps {
  http: HttpClient;
  lambda: LambdaInvoker;
  /** JSONata (transform expressions, choice conditions), evaluated where the time limit can stop it. */
  expressions: ExpressionEvaluator;
  /**
   * Runs `generic` and `ci` commands where the runner itself executes them (local mode: child processes).
   * Absent where jobs run elsewhere (AWS: CodeBuild through the state machine, statemachines/README.md) or
   * where the operator turned local jobs off (STEPWISE_LOCAL_JOBS=off): such a node then fails, named.
   */
  commands?: CommandRunner | undefined;
  /** transform `script`: sandboxed JavaScript (QuickJS in WebAssembly). Absent: such a node fails, named. */
  scripts?: ScriptEvaluator | undefined;
  /** fetch_data: the account's data sources (the built-in `local` one included), Postgres, and `:last_run`. Absent: the node fails, named. */
  data?:
    | {
        source(accountId: string, name: string): Promise<DataSource | undefined>;
        sql: SqlClient;
        /** When this workflow's last successful run started (ISO), if it had one. */
        lastSuccessfulRun(accountId: string, workflowId: string): Promise<string | undefined>;
      }
    | undefined;
  /** send_email: the account's templates and where mail goes (SES, SMTP or the local outbox). Absent: the node fails, named. */
  email?: { templates: Pick<EmailTemplateRepository, 'get'>; sender: MailSender } | undefined;
  /** Approval requests and the tokens a decision made earlier completes (functions/core/approvals). */
  approvals?: ApprovalRequests | undefined;
  /** AWS: reads a finished job's build log, for its stdout and ci's commit (record_job). */
  jobLogs?: JobLogs | undefined;
  /** subworkflow: writes child runs' records and reads their results (the ExecutionService). */
  children?: ChildRuns | undefined;
  /** etl, and fetch_data from s3 and dynamodb sources: the stores records move between, and where this account may reach. Absent: such a node fails, named. */
  etl?: EtlDeps | undefined;
  /**
   * `ml_training` run by the runner itself (local mode): the trainer, and the local object store it reads `s3://`
   * datasets from and writes model artifacts to. Absent on AWS, where SageMaker trains (prepare_job, record_job).
   */
  training?: { trainer: Trainer; objects: ObjectStore } | undefined;
  /** `ml_training`: the trained models `GET /api/v1/models` lists, and the stage's model bucket their artifacts go to. */
  models?: { registry: ModelRegistry; bucket?: string | undefined } | undefined;
  limits?: {
    maxResponseBytes?: number;
    defaultTimeoutMs?: number;
    /** Wall time one expression may take before it is stopped and the node fails (docs/api.md). Default 10 s. */
    expressionTimeoutMs?: number;
    /** How long a transform script may run before it is interrupted (docs/api.md). Default 10 s. */
    scriptTimeoutMs?: number;
    /** A transform script's heap. Default 64 MiB. */
    scriptMemoryBytes?: number;
    /** How long one etl node may move records before it stops (AWS: inside the task runner Lambda's timeout). Default 1 h. */
    maxEtlMs?: number;
    /** A command without its own timeout may run this long (docs/api.md, "Jobs"). Default 1 h. */
    defaultCommandTimeoutMs?: number;
  };
}

export type ActionResult =
  | { action: 'execute'; output: unknown; summary?: Record<string, string | number | boolean | null>; records?: { processed: number; failed: number } }
  | { action: 'choose'; next: string | null }
  | { action: 'resolve_items'; items: unknown[] }
  | { action: 'resolve_wait'; seconds?: number; timestamp?: string }
  | { action: 'prepare_job'; environment: { name: string; value: string; type: 'PLAINTEXT' }[]; timeout_seconds: number }
  | { action: 'prepare_subworkflow'; name: string; input: Record<string, unknown> }
  /** A callback node waits: its task token completes the state later (approvals: core/approvals). Nothing is journaled as done. */
  | { action: 'await_callback' };

export interface Run {
  request: TaskRunnerRequest;
  ctx: ExecutorContext;
  deps: ExecutorDeps;
  params: Record<string, unknown>;
  templates: TemplateResolver;
  step(nodeId: string): Promise<StepSnapshot | undefined>;
  log(level: LogLevel, message: string, data?: Record<string, unknown>): void;
}

/**
 * One node type's work: a handler per runner action the compiler can lower that type to
 * (statemachines/compile/emit.ts). A type with no handler for an action refuses it, non-retryably.
 */
export type NodeExecutor = {
  readonly [A in TaskRunnerAction]?: (run: Run) => Promise<ActionResult>;
};

// ---------------------------------------------------------------- shared helpers

export function executed(output: unknown, summary?: Record<string, string | number | boolean | null>, records?: { processed: number; failed: number }): ActionResult {
  return { action: 'execute', output, ...(summary ? { summary } : {}), ...(records ? { records } : {}) };
}

/** CloudFlow pipeline metrics: reported when the output says how many records it processed or failed. */
export function recordsOf(value: unknown): { processed: number; failed: number } | undefined {
  if (!isPlainObject(value)) return undefined;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const processed = count(value.records_processed);
  const failed = count(value.records_failed);
  if (processed === undefined && failed === undefined) return undefined;
  return { processed: processed ?? 0, failed: failed ?? 0 };
}

/** Plain JSON: JSONata sequences become arrays, undefined becomes null, functions disappear. */
export function toJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

// ---------------------------------------------------------------- the previous step (CloudFlow's `data`)

/** The records in a node output: an array as is, `{records}` (fetch_data) or `{data}` unwrapped, any other value as one record. */
export function recordsIn(output: unknown): unknown[] {
  if (Array.isArray(output)) return output;
  if (isPlainObject(output)) {
    if (Array.isArray(output.records)) return output.records;
    if (Array.isArray(output.data)) return output.data;
  }
  return output === undefined || output === null ? [] : [output];
}

/**
 * The previous step's records (the compiler names the predecessors in `previous`; with several, the
 * first in document order), or undefined when the node has none. An output the runner stored cut
 * (over 256 KiB) cannot be read back whole, so it fails the node rather than handing on a preview.
 */
export async function previousRecords(run: Run): Promise<unknown[] | undefined> {
  const id = run.request.previous?.[0];
  if (id === undefined) return undefined;
  const step = await run.step(id);
  if (!step) return [];
  if (isPlainObject(step.output) && step.output.truncated === true && typeof step.output.preview === 'string') {
    throw nonRetryable(`the output of step ${id} was too large to keep whole (${String(step.output.bytes)} bytes), so ${run.request.node_id} cannot read its records`);
  }
  return recordsIn(step.output);
}

// ---------------------------------------------------------------- JSONata

export const DEFAULT_EXPRESSION_TIMEOUT_MS = 10_000;
const STEP_REFERENCE = /\bsteps\s*\.\s*(?:`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * What `$` is for choice conditions and a transform without input: {input, steps} (plus item and index in
 * a map). JSONata cannot wait for a lookup mid-expression, so `steps` holds just the nodes the expression
 * text names as `steps.<id>` or steps.`<id-with-dashes>`; a step reached any other way (`$lookup(steps, x)`)
 * is absent. Naming a node that never ran is harmless: it is simply missing.
 */
export async function expressionScope(run: Run, expressions: string[]): Promise<Record<string, unknown>> {
  const ids = new Set<string>();
  for (const text of expressions) for (const m of text.matchAll(STEP_REFERENCE)) ids.add(m[1] ?? m[2] ?? '');
  const steps: Record<string, unknown> = {};
  await Promise.all(
    [...ids].map(async (id) => {
      const step = await run.step(id);
      if (step) steps[id] = { output: step.output ?? null, status: step.status, error: step.error ?? null };
    }),
  );
  const map = run.request.map;
  return { input: run.ctx.input, steps, ...(map ? { item: map.item, index: map.index } : {}) };
}

export async function evaluate(run: Run, expression: string, data: unknown, what: string): Promise<unknown> {
  const timeoutMs = run.deps.limits?.expressionTimeoutMs ?? DEFAULT_EXPRESSION_TIMEOUT_MS;
  try {
    return await run.deps.expressions.evaluate(expression, data, { timeoutMs, signal: run.ctx.signal });
  } catch (error) {
    if (!(error instanceof ExpressionFailure)) throw error;
    const where = error.code ? ` (${error.code}${error.position !== undefined ? ` at character ${error.position}` : ''})` : '';
    switch (error.kind) {
      case 'aborted':
        throw cancelled();
      case 'syntax':
        throw nonRetryable(`${what} is not a valid JSONata expression: ${error.message}${where}`);
      case 'timeout':
        // The same expression on the same data would time out again: not worth a retry.
        throw nonRetryable(`${what} timed out: ${error.message} (expressions may run ${timeoutMs} ms)`, { reason: 'expression_timeout', timeout_ms: timeoutMs });
      default:
        throw nonRetryable(`${what} failed: ${error.message}${where}`);
    }
  }
}

const booleanOf = jsonata('$boolean($v)');
/** JSONata's own truthiness ($boolean): empty strings, arrays and objects, 0 and null are false. */
export async function truthy(value: unknown): Promise<boolean> {
  if (value === undefined) return false;
  return (await booleanOf.evaluate(null, { v: value })) === true;
}
