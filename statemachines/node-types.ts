/**
 * The node types and their params. Each schema is strict (an unknown param is an error) and documents its
 * fields with `.describe()`, so the registry doubles as the reference that the OpenAPI document can embed.
 */
import jsonata from 'jsonata';
import * as z from 'zod';
import { DURATION_HINT, parseDuration } from './durations.ts';
import { BUILT_IN_TRANSFORMATIONS, DATA_FORMATS, etlLocationRefusals, NO_TRANSFORMATION } from './etl-locations.ts';
import { splitCommandLine } from './command-line.ts';
import { JOB_VARIABLE_PREFIXES } from './jobs.ts';
import { DEFAULT_ML_ALGORITHM, isMlAlgorithm, ML_ALGORITHMS } from './ml-training.ts';
import { wholeTemplate } from './templates.ts';

export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
export const NODE_ID_HINT = 'a letter or underscore, then up to 63 letters, digits, "_" or "-"';

/** How a node reaches Step Functions: a task-runner call, a native state, or structure around other nodes. */
export type NodeKind = 'task' | 'native' | 'structural';

/** Syntax-checks a JSONata expression; returns the parser's message when it does not parse. */
export function jsonataSyntaxError(expression: string): string | undefined {
  try {
    jsonata(expression);
    return undefined;
  } catch (error) {
    const e = error as { message?: string; position?: number };
    return `${e.message ?? 'invalid expression'}${typeof e.position === 'number' ? ` (at character ${e.position})` : ''}`;
  }
}

const containsTemplate = (s: string) => /\{\{[^{}]*\}\}/.test(s);

const jsonataExpression = (what: string) =>
  z
    .string()
    .min(1)
    .max(16_384)
    .superRefine((expr, ctx) => {
      const problem = jsonataSyntaxError(expr);
      if (problem) ctx.addIssue({ code: 'custom', message: `${what} is not a valid JSONata expression: ${problem}`, params: { expression: true } });
    });

/** Absolute http(s) URL, or a string that contains a template the runner fills in. */
const urlString = z
  .string()
  .min(1)
  .max(8_192)
  .refine(
    (s) => {
      if (containsTemplate(s)) return true;
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'must be an absolute http(s) URL or contain a {{template}}' },
  );

/** Data-location URLs for FlowCtl jobs (s3://, postgres://, https://, ...). */
const locationString = z.string().min(1).max(8_192).describe('A data location URL such as s3://bucket/key or postgres://host/db');

const duration = z
  .union([z.number().nonnegative(), z.string().min(1).max(64)])
  .refine((v) => (typeof v === 'string' && wholeTemplate(v) !== undefined) || parseDuration(v) !== undefined, {
    message: `must be ${DURATION_HINT}`,
    params: { duration: true },
  });

const nodeRef = z.string().regex(NODE_ID_PATTERN, `must be a node id: ${NODE_ID_HINT}`);
const stringMap = z.record(z.string().min(1).max(256), z.string().max(8_192));
const httpMethod = (allowed: readonly [string, ...string[]], fallback: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(allowed)).default(fallback);

export const httpRequestParams = z
  .strictObject({
    url: urlString.describe('Request URL; may contain {{templates}}'),
    method: httpMethod(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'], 'GET').describe('HTTP method, default GET'),
    headers: stringMap.optional().describe('Request headers; values may contain {{secrets.KEY}}'),
    query: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()])).optional().describe('Query-string parameters'),
    body: z.unknown().optional().describe('JSON body (objects are sent as JSON, strings as-is)'),
    timeout: duration.optional().describe('Per-attempt HTTP timeout, enforced by the runner'),
  })
  .describe('Make an HTTP request; the response (status, headers, body) is the node output');

export const webhookParams = z
  .strictObject({
    url: urlString.describe('Target URL'),
    method: httpMethod(['POST', 'PUT', 'PATCH'], 'POST').describe('HTTP method, default POST'),
    headers: stringMap.optional().describe('Request headers; values may contain {{secrets.KEY}}'),
    body: z.unknown().optional().describe('Payload; defaults to the execution input when absent'),
    signing_secret: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'must be the key of an account secret (A-Z, 0-9 and _)')
      .optional()
      .describe('Account secret that signs the delivery (Standard Webhooks headers). Default WEBHOOK_SECRET; without that secret the POST is sent unsigned'),
  })
  .describe('Deliver a payload to a URL, signed like Stepwise webhooks when the account has a signing secret');

export const MAX_SCRIPT_CHARS = 65_536;

export const transformParams = z
  .strictObject({
    expression: jsonataExpression('expression').optional().describe('JSONata expression, evaluated by the task runner'),
    script: z
      .string()
      .min(1)
      .max(MAX_SCRIPT_CHARS)
      .optional()
      .describe('JavaScript (CloudFlow) evaluated in a sandbox with no I/O: `data` is the previous step’s records, the value of the last expression is the output'),
    input: z.unknown().optional().describe('What the expression sees as `$` (default {input, steps}), or the script’s `data` (default the previous step’s records)'),
  })
  .superRefine((p, ctx) => {
    if ((p.expression === undefined) === (p.script === undefined)) ctx.addIssue({ code: 'custom', message: 'give exactly one of expression (JSONata) or script (JavaScript)', path: [p.script === undefined ? 'expression' : 'script'] });
  })
  .describe('Reshape data with JSONata (`expression`) or sandboxed JavaScript (`script`)');

/** Data-source names (CloudFlow's `users_table`, `customer_db`): what `fetch_data` names as its `source`. */
export const DATA_SOURCE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const DATA_SOURCE_NAME_RULE = 'must be a letter, then up to 63 letters, digits, "_" or "-"';

export const fetchDataParams = z
  .strictObject({
    source: z.string().regex(DATA_SOURCE_NAME_PATTERN, DATA_SOURCE_NAME_RULE).describe('The data source’s name (GET /api/v1/data-sources); `local` is the local Postgres'),
    query: z
      .string()
      .min(1)
      .max(16_384)
      .optional()
      .describe('postgres: SQL with named parameters (:last_run, :input.x, :steps.<id>.output.y), sent as bind parameters, never spliced in'),
    filters: z
      .record(z.string().min(1).max(63), z.union([z.string().max(8_192), z.number(), z.boolean(), z.null()]))
      .refine((f) => Object.keys(f).length <= 32, 'at most 32 filters')
      .optional()
      .describe('Column = value conditions (postgres: WHERE col = $1 AND …; http: records whose field equals the value)'),
    limit: z.number().int().min(1).max(100_000).optional().describe('At most this many records (default 10,000)'),
  })
  .describe('Read records from a data source (postgres, http); the output is {records, count}');

export const sendEmailParams = z
  .strictObject({
    template_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an email template id (letters, digits, "_" or "-")').describe('The email template (GET /api/v1/email-templates)'),
    to: z
      .union([z.string().min(1).max(320), z.array(z.string().min(1).max(320)).min(1).max(1_000)])
      .optional()
      .describe('Recipient (or recipients); may be a {{template}}. Default: each record’s `email` field'),
    data: z.record(z.string().min(1).max(128), z.unknown()).optional().describe('Merged into every record’s placeholders (may contain {{templates}})'),
  })
  .describe('Send one email per record of the previous step from a template; the output is {sent, failed}');

export const waitParams = z
  .strictObject({
    seconds: z.union([z.number().int().min(0).max(31_536_000), z.string().min(1)]).optional().describe('Whole seconds, or a {{template}}'),
    duration: duration.optional().describe('Duration such as "30s" or "5m", or a {{template}}'),
    until: z
      .string()
      .min(1)
      .refine((s) => wholeTemplate(s) !== undefined || z.iso.datetime({ offset: true }).safeParse(s).success, {
        message: 'must be an ISO 8601 date-time with a zone (2030-01-01T00:00:00Z) or a {{template}}',
      })
      .optional()
      .describe('Absolute time to wait until'),
  })
  .superRefine((p, ctx) => {
    const given = (['seconds', 'duration', 'until'] as const).filter((k) => p[k] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of seconds, duration or until', path: given.length ? [given[1] ?? given[0] ?? ''] : [] });
    if (typeof p.seconds === 'string' && wholeTemplate(p.seconds) === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a whole number of seconds or a {{template}}', path: ['seconds'] });
    }
    const seconds = parseDuration(p.duration);
    if (seconds !== undefined && seconds > 31_536_000) ctx.addIssue({ code: 'custom', message: 'must be at most 365d', path: ['duration'] });
  })
  .describe('Pause the workflow (a native Wait state when the time is static)');

export const choiceParams = z
  .strictObject({
    choices: z
      .array(
        z.strictObject({
          when: jsonataExpression('when').describe('JSONata condition over {input, steps}, evaluated by the task runner'),
          next: nodeRef.describe('Node to run when the condition is true'),
        }),
      )
      .min(1)
      .max(100)
      .describe('Conditions, tried in order; the first true one wins'),
    default: nodeRef.optional().describe('Node to run when no condition holds; without it the branches are skipped'),
  })
  .describe('Route to one branch; the other branches are skipped');

export const parallelParams = z
  .strictObject({
    branches: z
      .array(z.unknown())
      .min(1)
      .max(40)
      .describe('Nested graphs in the workflow dialect: {nodes} (FlowRunner), {tasks} (FlowCtl), {steps} or a step list (CloudFlow)'),
  })
  .describe('Run nested graphs side by side; the node finishes when all of them have');

export const mapParams = z
  .strictObject({
    items: z
      .union([z.string().min(1), z.array(z.unknown())])
      .describe('The array to iterate: a JSONPath into the execution input ($.orders), a whole {{template}}, or a literal array'),
    iterator: z.unknown().describe('Nested graph run once per item; its nodes may use {{item...}} and {{index}}'),
    max_concurrency: z.number().int().min(1).max(1_000).optional().describe('Iterations at once; defaults to the workflow max_concurrency'),
  })
  .superRefine((p, ctx) => {
    if (typeof p.items === 'string' && wholeTemplate(p.items) === undefined && !/^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*$/.test(p.items)) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSONPath such as $.orders, a whole {{template}}, or an array', path: ['items'] });
    }
    if (p.iterator === undefined) ctx.addIssue({ code: 'custom', message: 'is required', path: ['iterator'] });
  })
  .describe('Run a nested graph for each item of an array');

export const passParams = z
  .strictObject({ result: z.unknown().optional().describe('The node output') })
  .describe('Produce a fixed output (a native Pass state unless something reads it)');

export const failParams = z
  .strictObject({
    error: z.string().min(1).max(256).default('WorkflowFailed').describe('Error name'),
    cause: z.string().max(32_768).optional().describe('Human-readable cause'),
  })
  .describe('Stop the execution as failed');

export const lambdaParams = z
  .strictObject({
    function_arn: z
      .string()
      .regex(/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/, 'must be a Lambda function ARN')
      .describe('Function to invoke'),
    payload: z.unknown().optional().describe('Event passed to the function; may contain {{templates}}'),
  })
  .describe('Invoke an AWS Lambda function (through the task runner, which resolves templates first)');

export const subworkflowParams = z
  .strictObject({
    workflow_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a workflow id').describe('Workflow to run'),
    input: z.unknown().optional().describe('Child execution input; may contain {{templates}}'),
    wait: z.boolean().default(true).describe('Wait for the child to finish (callback) or just start it'),
  })
  .describe('Start another workflow');

export const approvalParams = z
  .strictObject({
    message: z.string().max(4_096).optional().describe('What the approvers are asked; may contain {{templates}} (never {{secrets.…}})'),
    approvers: z.array(z.string().min(1).max(320)).max(50).optional().describe('User ids, usernames or emails who may decide; none: any member with workflows:write'),
    timeout: duration.optional().describe('How long to wait for a decision (the state\'s TimeoutSeconds); then the node fails with Stepwise.ApprovalTimeout'),
    on_reject: z.enum(['fail', 'continue']).optional().describe('fail: a rejection fails the node; continue: the node completes with decision "reject" so a choice can route on it. Default: continue when a choice right after the node reads steps.<id>, else fail'),
  })
  .describe('Wait until someone approves or rejects (callback with a task token)');

export const etlParams = z
  .strictObject({
    source_url: locationString,
    target_url: locationString,
    format: z.string().min(1).max(32).optional().describe(`The source's format: ${DATA_FORMATS.join(', ')} (jsonl is ndjson); default: the source's extension, else json. An S3 target without a .csv, .json or .ndjson extension is written in it too (not parquet)`),
    transformation: z.string().min(1).max(4_096).optional().describe("normalize, dedupe, or a JSONata expression applied to each record"),
  })
  // What the runner would refuse for a literal value is refused here, so an accepted definition runs; a value with a template is checked when it resolves.
  .superRefine((p, ctx) => {
    const literal = (s: string) => !containsTemplate(s);
    // The issue's path names the field already.
    for (const { field, message } of etlLocationRefusals(p, literal)) ctx.addIssue({ code: 'custom', message: message.startsWith(field) ? message.slice(field.length).replace(/^:? /, '') : message, path: [field] });
    const t = p.transformation;
    if (t === undefined || !literal(t) || (BUILT_IN_TRANSFORMATIONS as readonly string[]).includes(t) || (NO_TRANSFORMATION as readonly string[]).includes(t)) return;
    // The runner refuses $$ (records are evaluated a batch at a time, so it would name the batch).
    if (t.includes('$$')) ctx.addIssue({ code: 'custom', message: '$ is the record; $$ is not available in etl (it would name the batch)', path: ['transformation'], params: { expression: true } });
    const problem = jsonataSyntaxError(t);
    if (problem) ctx.addIssue({ code: 'custom', message: `transformation is not ${BUILT_IN_TRANSFORMATIONS.join(' or ')}, and not a valid JSONata expression: ${problem}`, path: ['transformation'], params: { expression: true } });
  })
  .describe('FlowCtl extract/transform/load job');

export const mlTrainingParams = z
  .strictObject({
    model_name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'must be a model name: a letter or digit, then up to 62 letters, digits, "_", "." or "-"')
      .describe('Name of the model; GET /api/v1/models lists the latest training of each name'),
    dataset_url: z
      .string()
      .min(1)
      .max(2_048)
      .refine((s) => containsTemplate(s) || /^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[^\s]+|https:\/\/[^\s]+)$/.test(s), {
        message: 'must be an s3://bucket/key or https:// URL of a CSV, the label in the first column',
      })
      .describe('Training CSV (label first, SageMaker’s convention): s3://bucket/key (the local object store in local mode) or https://'),
    algorithm: z
      .string()
      .refine(isMlAlgorithm, { message: `is not supported: use one of ${ML_ALGORITHMS.join(', ')}` })
      .optional()
      .describe(`SageMaker built-in algorithm: ${ML_ALGORITHMS.join(' or ')} (default ${DEFAULT_ML_ALGORITHM}); locally trained with a JavaScript stand-in (docs/api.md)`),
    hyperparameters: z
      .record(z.string().regex(/^[A-Za-z0-9_.:-]{1,256}$/, 'must be a hyperparameter name'), z.union([z.string().max(2_500), z.number(), z.boolean()]))
      .refine((h) => Object.keys(h).length <= 100, 'at most 100 hyperparameters')
      .optional()
      .describe('SageMaker hyperparameters (max_depth, num_round, objective, predictor_type, …)'),
  })
  .describe('FlowCtl model-training job: train algorithm on the CSV at dataset_url and keep the model');

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const noNul = (s: string) => !s.includes('\u0000');
const commandEnvironment = z
  .record(
    z
      .string()
      .regex(ENV_NAME, 'must be an environment variable name (a letter or _, then letters, digits or _)')
      .refine((name) => !JOB_VARIABLE_PREFIXES.some((p) => name.startsWith(p)), `names starting with ${JOB_VARIABLE_PREFIXES.join(' or ')} are reserved for the job runner`),
    z.string().max(8_192).refine(noNul, 'must not contain a NUL character'))
  .refine((env) => Object.keys(env).length <= 100, 'at most 100 variables');
const SECRET_TEMPLATE = /\{\{\s*secrets\./;

/** Where a command may take a secret: a whole `{{secrets.KEY}}` environment value (local mode; on AWS a job takes none, statemachines/jobs.ts). */
function secretsOnlyInEnvironment(p: { command?: unknown; args?: unknown; environment?: unknown }, ctx: z.RefinementCtx) {
  const refuse = (path: (string | number)[]) =>
    ctx.addIssue({ code: 'custom', path, message: 'a secret reaches a command only as a whole environment value ("TOKEN": "{{secrets.KEY}}"), so it never enters the command line or the job definition' });
  if (typeof p.command === 'string' && SECRET_TEMPLATE.test(p.command)) refuse(['command']);
  if (Array.isArray(p.args)) p.args.forEach((a, i) => typeof a === 'string' && SECRET_TEMPLATE.test(a) && refuse(['args', i]));
  if (p.environment && typeof p.environment === 'object') {
    for (const [name, value] of Object.entries(p.environment as Record<string, unknown>)) {
      if (typeof value === 'string' && SECRET_TEMPLATE.test(value) && wholeTemplate(value)?.kind !== 'secrets') refuse(['environment', name]);
    }
  }
}

/** https, ssh (`ssh://` or `git@host:path`), and for local mode `file://` URLs and absolute paths: never a git transport that runs code (`ext::`). */
const repoUrl = z
  .string()
  .min(1)
  .max(2_048)
  .refine((s) => containsTemplate(s) || /^(https:\/\/|ssh:\/\/|file:\/\/\/?)[^\s]+$|^[A-Za-z0-9_.-]+@[A-Za-z0-9.-]+:[^\s]+$|^\/[^\s]*$/.test(s), {
    message: 'must be an https://, ssh:// or git@host:path repository URL (local mode also takes file:// URLs and absolute paths)',
  });

export const ciParams = z
  .strictObject({
    repo_url: repoUrl.describe('Repository to clone: https://, ssh://, git@host:path; locally also file:// or an absolute path'),
    command: z.string().min(1).max(8_192).refine(noNul, 'must not contain a NUL character').describe('Shell command run in the checkout (`sh -c`)'),
    branch: z
      .string()
      .regex(/^[A-Za-z0-9._/][A-Za-z0-9._/-]{0,255}$/, 'must be a branch or tag name')
      .optional()
      .describe('Branch or tag to check out; default the repository’s default branch'),
    environment: z.string().min(1).max(128).optional().describe('Target environment name, passed as STEPWISE_ENVIRONMENT'),
    timeout: duration.optional().describe('How long the job may run (clone included) before its process group is killed; default 1h'),
  })
  .describe('FlowCtl continuous-integration job: clone repo_url at branch, run command there');

export const genericParams = z
  .strictObject({
    command: z
      .string()
      .min(1)
      .max(8_192)
      .refine(noNul, 'must not contain a NUL character')
      .superRefine((s, ctx) => {
        if (containsTemplate(s)) return;
        const split = splitCommandLine(s);
        if (!split.ok) ctx.addIssue({ code: 'custom', message: split.error });
      })
      .describe('Program and its arguments, split into words with shell quoting and no shell expansion (no pipes, $VARS or globs)'),
    args: z.array(z.string().max(8_192).refine(noNul, 'must not contain a NUL character')).max(256).optional().describe('Arguments appended after the command line’s words'),
    environment: commandEnvironment.optional().describe('Environment variables; a value may be a whole {{secrets.KEY}}'),
    timeout: duration.optional().describe('How long the command may run before its whole process group is killed; default 1h'),
  })
  .superRefine(secretsOnlyInEnvironment)
  .describe('FlowCtl generic command: run a program with arguments and environment');

export interface NodeTypeSpec {
  schema: z.ZodType<Record<string, unknown>>;
  kind: NodeKind;
  summary: string;
  /**
   * Whether the node's params may use `{{secrets.KEY}}`: only nodes that hand a value to another
   * system (a request, a function, a job). A node that computes in-process (transform, choice,
   * wait, pass, …) could reshape a value past masking or write it into state-machine history, so
   * it never sees one (docs/secrets.md#what-a-workflow-may-do-with-a-secret).
   */
  secrets: boolean;
  /**
   * Whether the runner hands the node the previous step's output (CloudFlow's `data`): the compiler
   * then names the node's predecessors in the runner request (`previous`).
   */
  readsPrevious?: (params: Record<string, unknown>) => boolean;
}

const spec = (schema: z.ZodType<Record<string, unknown>>, kind: NodeKind, secrets = false, readsPrevious?: (params: Record<string, unknown>) => boolean): NodeTypeSpec => ({
  schema,
  kind,
  summary: schema.description ?? '',
  secrets,
  ...(readsPrevious ? { readsPrevious } : {}),
});

/** The registry. Keys are the `type` values accepted in every dialect. */
export const NODE_TYPES = {
  'http.request': spec(httpRequestParams, 'task', true),
  webhook: spec(webhookParams, 'task', true),
  transform: spec(transformParams, 'task', false, (p) => p.script !== undefined),
  fetch_data: spec(fetchDataParams, 'task'),
  send_email: spec(sendEmailParams, 'task', false, () => true),
  wait: spec(waitParams, 'native'),
  choice: spec(choiceParams, 'structural'),
  parallel: spec(parallelParams, 'structural'),
  map: spec(mapParams, 'structural'),
  pass: spec(passParams, 'native'),
  fail: spec(failParams, 'native'),
  lambda: spec(lambdaParams, 'task', true),
  subworkflow: spec(subworkflowParams, 'task'),
  approval: spec(approvalParams, 'task'),
  etl: spec(etlParams, 'task', true),
  ml_training: spec(mlTrainingParams, 'task'),
  ci: spec(ciParams, 'task'),
  generic: spec(genericParams, 'task', true),
} as const satisfies Record<string, NodeTypeSpec>;

export type NodeType = keyof typeof NODE_TYPES;
export const NODE_TYPE_NAMES = Object.keys(NODE_TYPES).toSorted() as NodeType[];
export const isNodeType = (t: unknown): t is NodeType => typeof t === 'string' && Object.hasOwn(NODE_TYPES, t);

/** Params after parsing (defaults applied), keyed by type; handy for the task runner's switch. */
export type NodeParams = {
  'http.request': z.output<typeof httpRequestParams>;
  webhook: z.output<typeof webhookParams>;
  transform: z.output<typeof transformParams>;
  fetch_data: z.output<typeof fetchDataParams>;
  send_email: z.output<typeof sendEmailParams>;
  wait: z.output<typeof waitParams>;
  choice: z.output<typeof choiceParams>;
  parallel: z.output<typeof parallelParams>;
  map: z.output<typeof mapParams>;
  pass: z.output<typeof passParams>;
  fail: z.output<typeof failParams>;
  lambda: z.output<typeof lambdaParams>;
  subworkflow: z.output<typeof subworkflowParams>;
  approval: z.output<typeof approvalParams>;
  etl: z.output<typeof etlParams>;
  ml_training: z.output<typeof mlTrainingParams>;
  ci: z.output<typeof ciParams>;
  generic: z.output<typeof genericParams>;
};
