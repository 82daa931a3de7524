import { createHash } from 'node:crypto';
import jsonata from 'jsonata';
import * as z from 'zod';
import { parseDuration, toWholeSeconds } from '../../../statemachines/durations.ts';
import type { NodeType } from '../../../statemachines/node-types.ts';
import { MAX_MAP_ITEMS_PER_RUN, mapItemLimitMessage, type TaskRunnerRequest } from '../../../statemachines/task-runner-contract.ts';
import { parseUserUrl } from '../net/address-policy.ts';
import { InvalidWebhookSecret, signWebhook } from '../webhooks/signature.ts';
import { cancelled, httpStatusFailure, nonRetryable, RunnerFailure, toRunnerFailure } from './errors.ts';
import { createMasker, type Masker } from './masking.ts';
import { ExpressionFailure, type ExpressionEvaluator, type HttpClient, type HttpResponse, type LambdaInvoker } from './ports.ts';
import { createTemplateResolver, isPlainObject, readJsonPath, type StepSnapshot, type TemplateResolver } from './resolve-templates.ts';
import { NOT_YET_EXECUTED, WEBHOOK_SECRET_KEY } from './capabilities.ts';

export type { StepSnapshot } from './resolve-templates.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ExecutorContext {
  /** From the execution record, never from input: ctx.secret must already be bound to this account. */
  accountId: string;
  /** The execution input. */
  input: unknown;
  step(nodeId: string): Promise<StepSnapshot | undefined>;
  secret(key: string): Promise<string | undefined>;
  /** Aborting it cancels outgoing HTTP and Lambda calls; the run then fails with Stepwise.Cancelled. */
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
  limits?: {
    maxResponseBytes?: number;
    defaultTimeoutMs?: number;
    /** Wall time one expression may take before it is stopped and the node fails (docs/api.md). Default 10 s. */
    expressionTimeoutMs?: number;
  };
}

export type ActionResult =
  | { action: 'execute'; output: unknown; summary?: Record<string, string | number | boolean | null>; records?: { processed: number; failed: number } }
  | { action: 'choose'; next: string | null }
  | { action: 'resolve_items'; items: unknown[] }
  | { action: 'resolve_wait'; seconds?: number; timestamp?: string };

export interface ActionOutcome {
  /** Already masked. */
  result: ActionResult;
  /** Every secret value the node used; mask anything else derived from this run with createMasker(secretValues). */
  secretValues: Set<string>;
}

export { WEBHOOK_SECRET_KEY };
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;
export const DEFAULT_EXPRESSION_TIMEOUT_MS = 10_000;
/** Wait states accept at most a year, the same bound the schema puts on static waits. */
const MAX_WAIT_SECONDS = 31_536_000;
const ERROR_BODY_CHARS = 1_024;

interface Run {
  request: TaskRunnerRequest;
  ctx: ExecutorContext;
  deps: ExecutorDeps;
  params: Record<string, unknown>;
  templates: TemplateResolver;
  step(nodeId: string): Promise<StepSnapshot | undefined>;
  log(level: LogLevel, message: string, data?: Record<string, unknown>): void;
}

/**
 * Does the work of one runner call and answers what the state machine needs. Persisting outputs, statuses
 * and log lines is the caller's job; everything this returns or logs is already masked, and a failure is
 * always a masked RunnerFailure (its name is the Step Functions error name).
 */
export async function runAction(request: TaskRunnerRequest, ctx: ExecutorContext, deps: ExecutorDeps): Promise<ActionOutcome> {
  // One read per step for the whole call, shared by templates and JSONata preloads.
  const stepReads = new Map<string, Promise<StepSnapshot | undefined>>();
  const step = (nodeId: string) => {
    let read = stepReads.get(nodeId);
    if (!read) stepReads.set(nodeId, (read = ctx.step(nodeId)));
    return read;
  };
  const templates = createTemplateResolver({
    input: ctx.input,
    step,
    secret: (key) => ctx.secret(key),
    map: request.map ? { item: request.map.item, index: request.map.index } : undefined,
  });
  // Secrets are discovered as templates resolve, so the masker is rebuilt whenever the set grows.
  let masker: { size: number; mask: Masker } | undefined;
  const mask: Masker = (value) => {
    if (masker?.size !== templates.secretValues.size) masker = { size: templates.secretValues.size, mask: createMasker(templates.secretValues) };
    return masker.mask(value);
  };
  const run: Run = {
    request,
    ctx,
    deps,
    params: request.params ?? {},
    templates,
    step,
    log: (level, message, data) => ctx.log(level, mask(message) as string, data === undefined ? undefined : (mask(data) as Record<string, unknown>)),
  };

  try {
    if (ctx.signal.aborted) throw cancelled();
    const result = await dispatch(run);
    return { result: maskResult(result, mask), secretValues: templates.secretValues };
  } catch (error) {
    throw maskFailure(toRunnerFailure(error, ctx.signal), templates.secretValues.size > 0 ? mask : undefined);
  }
}

function dispatch(run: Run): Promise<ActionResult> {
  const { action, node_type: type } = run.request;
  switch (action) {
    case 'execute':
      return execute(run, type);
    case 'choose':
      return choose(run);
    case 'resolve_items':
      return resolveItems(run);
    case 'resolve_wait':
      return resolveWait(run);
    case 'fail':
      return fail(run);
    default:
      throw nonRetryable(`unknown runner action ${JSON.stringify(action)}`);
  }
}

async function execute(run: Run, type: NodeType): Promise<ActionResult> {
  switch (type) {
    case 'http.request':
      return httpRequest(run);
    case 'webhook':
      return webhook(run);
    case 'transform':
      return transform(run);
    case 'lambda':
      return invokeLambda(run);
    case 'pass': {
      const output = toJson(await run.templates.resolve(run.params.result, 'result'));
      return executed(output, undefined, recordsOf(output));
    }
    default:
      if (NOT_YET_EXECUTED.has(type)) throw nonRetryable(`node type ${type} is not supported by this runner yet`);
      throw nonRetryable(`node type ${type} has nothing to execute (action execute)`);
  }
}

// ---------------------------------------------------------------- http.request and webhook

async function httpRequest(run: Run): Promise<ActionResult> {
  const p = asRecord(await run.templates.resolve(run.params));
  const method = typeof p.method === 'string' ? p.method.toUpperCase() : 'GET';
  const url = buildUrl(p.url, p.query);
  const headers = stringHeaders(p.headers);
  let body: string | undefined;
  if (typeof p.body === 'string') body = p.body;
  else if (p.body !== undefined && p.body !== null) {
    body = JSON.stringify(p.body);
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  }
  const timeoutMs = timeoutFrom(p.timeout, run.deps.limits?.defaultTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS);

  run.log('info', 'HTTP request', { method, url });
  const response = await send(run, { method, url, headers, body, timeoutMs });
  const parsed = parseBody(response);
  failUnlessOk(run, response, 'HTTP request failed');
  run.log('info', 'HTTP request successful', { status_code: response.status, url: response.url });
  return executed(
    { status_code: response.status, headers: response.headers, body: parsed, ...(response.truncated ? { truncated: true } : {}) },
    { status_code: response.status, ...(response.truncated ? { truncated: true } : {}) },
    recordsOf(parsed),
  );
}

async function webhook(run: Run): Promise<ActionResult> {
  const { request, ctx } = run;
  const p = asRecord(await run.templates.resolve(run.params));
  const method = typeof p.method === 'string' ? p.method.toUpperCase() : 'POST';
  const url = buildUrl(p.url, undefined);
  const body = JSON.stringify(p.body === undefined ? (ctx.input ?? null) : p.body);

  // A node that names its secret needs it; the account default only signs when it exists (FlowRunner's
  // example flow has no secret at all, and must still deliver: docs/api.md#executions).
  const named = typeof p.signing_secret === 'string' ? p.signing_secret : undefined;
  const secretKey = named ?? WEBHOOK_SECRET_KEY;
  const secret = await ctx.secret(secretKey);
  if (secret === undefined && named) throw nonRetryable(`the webhook node signs with the account secret ${named}, which does not exist`);
  if (secret !== undefined) run.templates.secretValues.add(secret);
  const id = webhookId(request);
  let signature: Record<string, string> = {};
  if (secret !== undefined) {
    try {
      signature = { ...signWebhook({ id, timestamp: Math.floor(ctx.now().getTime() / 1000), body, secret }) };
    } catch (error) {
      if (error instanceof InvalidWebhookSecret) throw nonRetryable(`account secret ${secretKey} is not usable: ${error.message}`);
      throw error;
    }
  }
  // The signature headers are ours; a user header of the same name would only make verification fail.
  const headers = Object.fromEntries(Object.entries(stringHeaders(p.headers)).filter(([k]) => !Object.hasOwn(signature, k.toLowerCase())));
  if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  Object.assign(headers, signature);

  if (secret === undefined) run.log('info', `Webhook delivery (unsigned: the account has no ${WEBHOOK_SECRET_KEY} secret)`, { method, url, webhook_id: id, signed: false });
  else run.log('info', 'Webhook delivery', { method, url, webhook_id: id, signed: true, signing_secret: secretKey });
  const response = await send(run, { method, url, headers, body, timeoutMs: run.deps.limits?.defaultTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS });
  failUnlessOk(run, response, 'Webhook delivery failed');
  run.log('info', 'Webhook delivered', { status_code: response.status, url: response.url, webhook_id: id });
  return executed({ status_code: response.status, webhook_id: id }, { status_code: response.status }, recordsOf(parseBody(response)));
}

/**
 * Stable across retries of the same node (and per map iteration), so receivers can de-duplicate: Standard
 * Webhooks treats webhook-id as the idempotency key, while the timestamp is fresh on every attempt.
 */
export function webhookId(request: Pick<TaskRunnerRequest, 'execution_id' | 'node_id' | 'map'>): string {
  const digest = createHash('sha256').update(`${request.execution_id}\u0000${request.node_id}\u0000${request.map?.key ?? ''}`).digest('hex');
  return `msg_${digest.slice(0, 32)}`;
}

async function send(run: Run, req: { method: string; url: string; headers: Record<string, string>; body: string | undefined; timeoutMs: number }): Promise<HttpResponse> {
  const secrets = [...run.templates.secretValues];
  const carries = (text: string) => secrets.some((s) => text.includes(s));
  return run.deps.http.request({
    ...req,
    maxResponseBytes: run.deps.limits?.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    signal: run.ctx.signal,
    // Which headers and whether the body carry a secret, so a cross-origin redirect does not forward them.
    secretHeaders: Object.keys(req.headers).filter((name) => carries(req.headers[name]!)),
    secretBody: req.body !== undefined && carries(req.body),
  });
}

function failUnlessOk(run: Run, response: HttpResponse, message: string): void {
  if (response.status >= 200 && response.status < 300) return;
  run.log('warn', message, { status_code: response.status, url: response.url });
  throw httpStatusFailure(response.status, { url: response.url, response_body: response.body.slice(0, ERROR_BODY_CHARS) });
}

function buildUrl(raw: unknown, query: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw nonRetryable('url must resolve to a non-empty string');
  // The reason never quotes the URL: it may carry a secret, and masking only knows exact values.
  const parsed = parseUserUrl(raw.trim());
  if ('error' in parsed) throw nonRetryable(`invalid URL: ${parsed.error}`);
  const { url } = parsed;
  if (isPlainObject(query)) {
    // Appended, so parameters already written into the URL are kept; a missing value drops the parameter.
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      url.searchParams.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
  }
  return url.toString();
}

function stringHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPlainObject(headers)) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    out[name] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

const hasHeader = (headers: Record<string, string>, name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);

function timeoutFrom(value: unknown, fallbackMs: number): number {
  if (value === undefined || value === null) return fallbackMs;
  const seconds = parseDuration(value);
  if (seconds === undefined) throw nonRetryable('timeout must resolve to a number of seconds or a duration such as "30s"');
  return Math.max(1, Math.round(seconds * 1000));
}

/** JSON when the server says so and it parses; otherwise the text (a truncated JSON body stays text). */
function parseBody(response: HttpResponse): unknown {
  const type = response.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim()) || response.body.trim() === '') return response.body;
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    return response.body;
  }
}

// ---------------------------------------------------------------- transform, lambda

async function transform(run: Run): Promise<ActionResult> {
  const expression = run.params.expression;
  if (typeof expression !== 'string') throw nonRetryable('transform needs an expression');
  // The expression itself is never template-resolved: pasting values into code would let data become code.
  const data = run.params.input !== undefined ? await run.templates.resolve(run.params.input, 'input') : await expressionScope(run, [expression]);
  const output = toJson(await evaluate(run, expression, data, 'transform expression'));
  return executed(output, undefined, recordsOf(output));
}

async function invokeLambda(run: Run): Promise<ActionResult> {
  const functionArn = run.params.function_arn;
  if (typeof functionArn !== 'string') throw nonRetryable('lambda needs a function_arn');
  // Handlers usually destructure their event, so "no payload" is an empty object rather than null.
  const payload = run.params.payload === undefined ? {} : await run.templates.resolve(run.params.payload, 'payload');
  run.log('info', 'Lambda invoke', { function_arn: functionArn });
  const output = toJson(await run.deps.lambda.invoke(functionArn, payload, run.ctx.signal));
  run.log('info', 'Lambda invoke successful', { function_arn: functionArn });
  return executed(output, undefined, recordsOf(output));
}

// ---------------------------------------------------------------- choose, resolve_items, resolve_wait, fail

async function choose(run: Run): Promise<ActionResult> {
  const choices = Array.isArray(run.params.choices) ? (run.params.choices as unknown[]).filter(isPlainObject) : [];
  const scope = await expressionScope(
    run,
    choices.map((c) => (typeof c.when === 'string' ? c.when : '')),
  );
  for (const [i, choice] of choices.entries()) {
    if (typeof choice.when !== 'string' || typeof choice.next !== 'string') throw nonRetryable(`choices[${i}] needs a when and a next`);
    const value = await evaluate(run, choice.when, scope, `choices[${i}].when`);
    if (await truthy(value)) {
      run.log('debug', 'Choice matched', { index: i, next: choice.next });
      return { action: 'choose', next: choice.next };
    }
  }
  const fallback = typeof run.params.default === 'string' ? run.params.default : null;
  run.log('debug', fallback === null ? 'No choice matched; branches skipped' : 'No choice matched; using the default', { next: fallback });
  return { action: 'choose', next: fallback };
}

async function resolveItems(run: Run): Promise<ActionResult> {
  const raw = run.params.items;
  // `$.path` is normally lowered to ItemsPath by the compiler; reading it here keeps the action total.
  const path = typeof raw === 'string' ? readJsonPath(run.ctx.input, raw.trim()) : undefined;
  const items = path ? path.value : await run.templates.resolve(raw, 'items');
  if (!Array.isArray(items)) throw nonRetryable(`map items must resolve to an array, got ${describe(items)}`);
  if (items.length > MAX_MAP_ITEMS_PER_RUN) throw nonRetryable(mapItemLimitMessage(items.length), { items: items.length, limit: MAX_MAP_ITEMS_PER_RUN });
  return { action: 'resolve_items', items: toJson(items) as unknown[] };
}

async function resolveWait(run: Run): Promise<ActionResult> {
  const p = asRecord(await run.templates.resolve(run.params));
  if (p.seconds !== undefined) {
    const value = typeof p.seconds === 'string' && /^\s*\d+\s*$/.test(p.seconds) ? Number(p.seconds) : p.seconds;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw nonRetryable(`wait seconds must resolve to a whole number >= 0, got ${describe(p.seconds)}`);
    return { action: 'resolve_wait', seconds: checkedWait(value) };
  }
  if (p.duration !== undefined) {
    const seconds = parseDuration(p.duration);
    if (seconds === undefined) throw nonRetryable(`wait duration must resolve to seconds or a duration such as "5m", got ${describe(p.duration)}`);
    // Rounded up so "500ms" still waits rather than becoming 0.
    return { action: 'resolve_wait', seconds: checkedWait(toWholeSeconds(seconds, 0)) };
  }
  if (p.until !== undefined) {
    if (typeof p.until !== 'string' || !z.iso.datetime({ offset: true }).safeParse(p.until.trim()).success) {
      throw nonRetryable(`wait until must resolve to an ISO 8601 date-time with a zone (2030-01-01T00:00:00Z), got ${describe(p.until)}`);
    }
    // Whole seconds, rounded up so the wait never ends before the requested instant.
    const ms = Math.ceil(Date.parse(p.until.trim()) / 1000) * 1000;
    return { action: 'resolve_wait', timestamp: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }
  throw nonRetryable('wait needs one of seconds, duration or until');
}

function checkedWait(seconds: number): number {
  if (seconds > MAX_WAIT_SECONDS) throw nonRetryable(`wait must be at most ${MAX_WAIT_SECONDS} seconds (365d), got ${seconds}`);
  return seconds;
}

async function fail(run: Run): Promise<never> {
  const p = asRecord(await run.templates.resolve({ error: run.params.error, cause: run.params.cause }));
  const name = typeof p.error === 'string' && p.error.trim() !== '' ? p.error.trim() : 'WorkflowFailed';
  const cause = p.cause === undefined || p.cause === null ? '' : typeof p.cause === 'string' ? p.cause : JSON.stringify(p.cause);
  throw new RunnerFailure(name, cause, { retryable: false });
}

// ---------------------------------------------------------------- JSONata

const STEP_REFERENCE = /\bsteps\s*\.\s*(?:`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * What `$` is for choice conditions and a transform without input: {input, steps} (plus item and index in
 * a map). JSONata cannot wait for a lookup mid-expression, so `steps` holds just the nodes the expression
 * text names as `steps.<id>` or steps.`<id-with-dashes>`; a step reached any other way (`$lookup(steps, x)`)
 * is absent. Naming a node that never ran is harmless: it is simply missing.
 */
async function expressionScope(run: Run, expressions: string[]): Promise<Record<string, unknown>> {
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

async function evaluate(run: Run, expression: string, data: unknown, what: string): Promise<unknown> {
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
async function truthy(value: unknown): Promise<boolean> {
  if (value === undefined) return false;
  return (await booleanOf.evaluate(null, { v: value })) === true;
}

// ---------------------------------------------------------------- results

function executed(output: unknown, summary?: Record<string, string | number | boolean | null>, records?: { processed: number; failed: number }): ActionResult {
  return { action: 'execute', output, ...(summary ? { summary } : {}), ...(records ? { records } : {}) };
}

/** CloudFlow pipeline metrics: reported when the output says how many records it processed or failed. */
function recordsOf(value: unknown): { processed: number; failed: number } | undefined {
  if (!isPlainObject(value)) return undefined;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const processed = count(value.records_processed);
  const failed = count(value.records_failed);
  if (processed === undefined && failed === undefined) return undefined;
  return { processed: processed ?? 0, failed: failed ?? 0 };
}

/** Plain JSON: JSONata sequences become arrays, undefined becomes null, functions disappear. */
function toJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

function maskResult(result: ActionResult, mask: Masker): ActionResult {
  switch (result.action) {
    case 'execute':
      return {
        ...result,
        output: mask(result.output),
        ...(result.summary ? { summary: mask(result.summary) as Record<string, string | number | boolean | null> } : {}),
      };
    case 'resolve_items':
      return { ...result, items: mask(result.items) as unknown[] };
    default:
      // Node ids, seconds and timestamps: nothing a secret could hide in, and masking a node id would break routing.
      return result;
  }
}

function maskFailure(failure: RunnerFailure, mask: Masker | undefined): RunnerFailure {
  if (!mask) return failure;
  // The cause is dropped: it is an arbitrary object that could still hold a secret value.
  return new RunnerFailure(mask(failure.name) as string, mask(failure.message) as string, {
    retryable: failure.retryable,
    ...(failure.details ? { details: mask(failure.details) as Record<string, unknown> } : {}),
  });
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
