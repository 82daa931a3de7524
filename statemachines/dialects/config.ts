/** Workflow `config` and per-node retry settings, shared by the three dialects (FlowCtl names). */
import * as z from 'zod';
import { DURATION_HINT, parseDuration } from '../durations.ts';
import { DEFAULT_CONFIG, type RetryPolicy, type WorkflowConfig } from '../ir.ts';
import { joinPath, type ValidationIssue } from '../issues.ts';
import { zodIssues } from './zod-issues.ts';

/** Standard workflows may run for a year; anything longer is a typo. */
export const MAX_TIMEOUT_SECONDS = 31_536_000;
/** ASL caps MaxDelaySeconds at 31622400 and IntervalSeconds at 99999999; a day is a sane retry ceiling. */
const MAX_DELAY_SECONDS = 86_400;

const durationField = z
  .union([z.number().nonnegative(), z.string().min(1).max(64)])
  .refine((v) => parseDuration(v) !== undefined, { message: `must be ${DURATION_HINT}`, params: { duration: true } });

export const retryPolicySchema = z
  .strictObject({
    max_attempts: z.number().int().min(1).max(100).optional().describe('All attempts, the first included (default 3)'),
    initial_delay: durationField.optional().describe('Delay before the first retry (default "1s")'),
    max_delay: durationField.optional().describe('Longest single delay (default "5m")'),
    backoff_factor: z.number().min(1).max(10).optional().describe('Delay multiplier per retry (default 2.0)'),
  })
  .describe('Retry policy (FlowCtl names)');

export const configSchema = z
  .strictObject({
    max_concurrency: z.number().int().min(1).max(1_000).optional().describe('Nodes running at once (default 10)'),
    timeout: durationField.optional().describe('Whole-execution timeout (default "1h")'),
    retry_policy: retryPolicySchema.optional(),
  })
  .describe('Workflow execution settings');

export type RetryPolicyInput = z.input<typeof retryPolicySchema>;
export type ConfigInput = z.input<typeof configSchema>;

function applyRetry(base: RetryPolicy, input: z.output<typeof retryPolicySchema>): RetryPolicy {
  const out = { ...base };
  if (input.max_attempts !== undefined) out.max_attempts = input.max_attempts;
  if (input.initial_delay !== undefined) out.interval_seconds = parseDuration(input.initial_delay) ?? out.interval_seconds;
  if (input.max_delay !== undefined) out.max_delay_seconds = parseDuration(input.max_delay) ?? out.max_delay_seconds;
  if (input.backoff_factor !== undefined) out.backoff_rate = input.backoff_factor;
  return out;
}

function checkRetry(policy: RetryPolicy, path: string, issues: ValidationIssue[], node?: string) {
  if (policy.max_delay_seconds > MAX_DELAY_SECONDS) {
    issues.push({ path: joinPath(path, 'max_delay'), node, field: 'max_delay', code: 'invalid_duration', message: `max_delay must be at most 1d (${MAX_DELAY_SECONDS} s)` });
  }
  if (policy.interval_seconds > MAX_DELAY_SECONDS) {
    issues.push({ path: joinPath(path, 'initial_delay'), node, field: 'initial_delay', code: 'invalid_duration', message: 'initial_delay must be at most 1d' });
  }
}

export function parseConfig(raw: unknown, path: string, issues: ValidationIssue[]): WorkflowConfig {
  if (raw === undefined || raw === null) return { ...DEFAULT_CONFIG, retry_policy: { ...DEFAULT_CONFIG.retry_policy } };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    issues.push(...zodIssues(parsed.error, path));
    return { ...DEFAULT_CONFIG, retry_policy: { ...DEFAULT_CONFIG.retry_policy } };
  }
  const c = parsed.data;
  const timeout = c.timeout === undefined ? DEFAULT_CONFIG.timeout_seconds : (parseDuration(c.timeout) ?? DEFAULT_CONFIG.timeout_seconds);
  if (timeout > MAX_TIMEOUT_SECONDS || timeout < 1) {
    issues.push({ path: joinPath(path, 'timeout'), field: 'config.timeout', code: 'invalid_duration', message: 'timeout must be between 1s and 365d' });
  }
  const retry = applyRetry(DEFAULT_CONFIG.retry_policy, c.retry_policy ?? {});
  checkRetry(retry, joinPath(path, 'retry_policy'), issues);
  return {
    max_concurrency: c.max_concurrency ?? DEFAULT_CONFIG.max_concurrency,
    timeout_seconds: timeout,
    retry_policy: retry,
  };
}

/**
 * A node's effective policy: its own `retry` object over the workflow default, then `max_retries`
 * (retries after the first attempt, so max_attempts = max_retries + 1) on top.
 */
export function effectiveRetry(
  base: RetryPolicy,
  own: { retry?: unknown; max_retries?: unknown },
  path: string,
  node: string,
  issues: ValidationIssue[],
): RetryPolicy {
  let policy = { ...base };
  if (own.retry !== undefined) {
    const parsed = retryPolicySchema.safeParse(own.retry);
    if (!parsed.success) issues.push(...zodIssues(parsed.error, joinPath(path, 'retry'), node, 'retry'));
    else {
      policy = applyRetry(policy, parsed.data);
      checkRetry(policy, joinPath(path, 'retry'), issues, node);
      if (parsed.data.max_attempts !== undefined && own.max_retries !== undefined) {
        issues.push({ path: joinPath(path, 'max_retries'), node, field: 'max_retries', code: 'invalid_definition', message: 'give either max_retries or retry.max_attempts, not both' });
      }
    }
  }
  if (own.max_retries !== undefined) {
    const r = own.max_retries;
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r > 99) {
      issues.push({ path: joinPath(path, 'max_retries'), node, field: 'max_retries', code: 'invalid_definition', message: 'max_retries must be an integer from 0 to 99' });
    } else policy.max_attempts = r + 1;
  }
  return policy;
}

/** A node timeout in seconds, or undefined (reported) when malformed. */
export function nodeTimeout(raw: unknown, path: string, node: string, issues: ValidationIssue[]): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = parseDuration(raw);
  if (seconds === undefined || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    issues.push({ path, node, field: 'timeout', code: 'invalid_duration', message: `timeout must be ${DURATION_HINT}, above 0 and at most 365d` });
    return undefined;
  }
  return seconds;
}
