/**
 * What the task runner's executors need from the outside world. Adapters implement these; core only sees
 * the interfaces and the typed failures below, so it can classify errors without knowing the transport.
 */
import { PortFailure } from '../errors.ts';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** Covers the whole exchange: connect, every redirect hop and reading the body. */
  timeoutMs: number;
  /** Bytes of body kept; the rest is not read (the connection is dropped) and `truncated` is set. */
  maxResponseBytes: number;
  /** Keep the body as bytes (`bytes`, and `body` empty) instead of decoding it: binary files such as parquet. */
  binary?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Names of headers whose values carry an account secret: like Authorization and Cookie, they are
   * dropped when a redirect leads to another origin, which was never given the secret.
   */
  secretHeaders?: readonly string[] | undefined;
  /** The body carries an account secret: a redirect that would resend it to another origin fails instead. */
  secretBody?: boolean | undefined;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Decoded as UTF-8 (empty when the request asked for `binary`). */
  body: string;
  /** The body's bytes, when the request asked for `binary`. */
  bytes?: Uint8Array | undefined;
  truncated: boolean;
  /** The final URL, after redirects. */
  url: string;
}

/** Throws HttpFailure for anything that is not an HTTP response (a 4xx/5xx is a response, not a throw). */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

/** Resolves to the function's parsed JSON result; throws RunnerFailure (already classified) on failure. */
export interface LambdaInvoker {
  invoke(functionArn: string, payload: unknown, signal?: AbortSignal): Promise<unknown>;
}

export type HttpFailureKind = 'blocked_address' | 'blocked_redirect' | 'invalid_url' | 'timeout' | 'network' | 'too_many_redirects' | 'aborted';

export class HttpFailure extends PortFailure<HttpFailureKind> {
  override readonly name = 'HttpFailure';
}

export const isHttpFailure = (e: unknown): e is HttpFailure => e instanceof HttpFailure;

/**
 * Evaluates JSONata where a hard time limit can stop it. JSONata cannot be interrupted from inside: a
 * catastrophic regular expression or a loop never yields, so the evaluation has to run somewhere that
 * can be killed at the deadline (adapters/expressions: a pool of worker threads).
 */
export interface ExpressionEvaluator {
  /** Resolves to the value (undefined when the expression matches nothing); throws ExpressionFailure. */
  evaluate(expression: string, data: unknown, options: { timeoutMs: number; signal?: AbortSignal | undefined }): Promise<unknown>;
}

export type ExpressionFailureKind = 'syntax' | 'evaluation' | 'timeout' | 'aborted';

export class ExpressionFailure extends PortFailure<ExpressionFailureKind> {
  override readonly name = 'ExpressionFailure';
  /** JSONata's error code (S0201, T2002, D1012, …) and the character position, when it gave them. */
  readonly code: string | undefined;
  readonly position: number | undefined;

  constructor(kind: ExpressionFailureKind, message: string, details: { code?: string | undefined; position?: number | undefined } = {}) {
    super(kind, message);
    this.code = details.code;
    this.position = details.position;
  }
}

/**
 * Runs a transform's JavaScript `script` (CloudFlow) in a sandbox: its own heap with a memory cap, no
 * I/O of any kind (no require, fetch, timers, file or process access), and a time limit enforced from
 * outside the script (an interrupt handler the engine polls), so a loop that never yields still ends.
 */
export interface ScriptEvaluator {
  /** `data` is a global of the script; resolves to the last expression's value as JSON (undefined → null); throws ScriptFailure. */
  evaluate(script: string, data: unknown, options: { timeoutMs: number; memoryBytes: number }): Promise<unknown>;
}

export type ScriptFailureKind = 'syntax' | 'evaluation' | 'timeout' | 'memory' | 'output';

export class ScriptFailure extends PortFailure<ScriptFailureKind> {
  override readonly name = 'ScriptFailure';
}

/** A command for `generic` and `ci` nodes (docs/api.md, "Jobs"). */
export interface CommandSpec {
  /** Program and arguments, run without a shell (`ci` passes `['sh', '-c', command]`). */
  argv: readonly string[];
  /** Added to the runner's minimal base environment (PATH, HOME, LANG, TMPDIR); resolved secrets included. */
  env: Readonly<Record<string, string>>;
  /** The whole process group is killed when it elapses. */
  timeoutMs: number;
  /** Bytes kept of each of stdout and stderr: their last bytes (the tail). */
  maxOutputBytes: number;
  signal: AbortSignal;
  /** `ci`: clone this repository (at `branch`) into the fresh working folder first. */
  checkout?: { repoUrl: string; branch?: string | undefined } | undefined;
}

export interface CommandResult {
  /** null when a signal ended it (then `signal` names it). */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Earlier output was dropped to keep the tails. */
  truncated: boolean;
  durationMs: number;
  /** The timeout elapsed and the process group was killed. */
  timedOut: boolean;
  /** `ci`: the checked-out commit. */
  commit?: string | undefined;
}

/**
 * Runs a command to its end. Throws CommandFailure when it cannot start or the checkout fails; a command
 * that runs and exits non-zero (or is killed) is a result, not a throw. Aborting the signal kills it.
 */
export interface CommandRunner {
  run(spec: CommandSpec): Promise<CommandResult>;
}

export type CommandFailureKind = 'not_found' | 'spawn' | 'checkout' | 'aborted';

export class CommandFailure extends PortFailure<CommandFailureKind> {
  override readonly name = 'CommandFailure';
}

/**
 * Reads the end of a job's build log (AWS: the CodeBuild log stream in CloudWatch Logs), so a job's
 * output carries its stdout on AWS too. Resolves to the log's text lines, oldest first.
 */
export interface JobLogs {
  tail(location: { groupName: string; streamName: string }, maxBytes: number): Promise<{ lines: string[]; truncated: boolean }>;
}

/**
 * Objects in S3 on AWS, or in the local S3-compatible store in local mode (docs/api.md, "Local object
 * store"): where `ml_training` reads `s3://` datasets and writes model artifacts.
 */
export interface ObjectStore {
  /** The object's bytes; `undefined` when the bucket or the key does not exist. More than `maxBytes` is an ObjectTooLarge failure. */
  get(bucket: string, key: string, options: { maxBytes: number; signal?: AbortSignal | undefined }): Promise<Uint8Array | undefined>;
  put(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}

export class ObjectTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the object is larger than ${maxBytes} bytes`);
    this.name = 'ObjectTooLarge';
  }
}

export type ModelMetric = { accuracy: number } | { rmse: number };

/** One trained model, as `GET /api/v1/models` lists it (the latest training of each name). */
export interface TrainedModel {
  readonly accountId: string;
  readonly name: string;
  readonly algorithm: string;
  readonly task: 'classification' | 'regression';
  readonly artifactUrl: string;
  /** Rows trained and validated on; null on AWS, where SageMaker reads the data. */
  readonly rows: number | null;
  readonly metrics: { train: ModelMetric | null; validation: ModelMetric | null };
  readonly workflowId: string;
  readonly executionId: string;
  readonly trainedAt: string;
  /** AWS: the SageMaker training job. */
  readonly trainingJobName?: string | undefined;
}

export interface ModelRegistry {
  record(model: TrainedModel): Promise<void>;
  list(accountId: string): Promise<TrainedModel[]>;
}
