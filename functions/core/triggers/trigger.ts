/**
 * How a workflow's runs start (docs/api.md#triggers). The definition carries it: CloudFlow's `trigger`,
 * a top-level `trigger` next to any dialect's definition, or FlowRunner's `metadata.trigger`. This
 * module turns that raw object into one checked shape, naming the offending field on a 400.
 */
import * as z from 'zod';
import { AppError } from '../errors.ts';
import { EVENT_TYPES, type EventType } from '../events/catalog.ts';
import type { WorkflowIr } from '../../../statemachines/ir.ts';
import { canonicalTimezone, cronProblem } from './cron.ts';

export type FilterValue = string | number | boolean | null;

export type WorkflowTrigger =
  | { readonly type: 'manual' }
  | { readonly type: 'schedule'; readonly cron: string; readonly timezone: string }
  | { readonly type: 'webhook' }
  | {
      readonly type: 'event';
      readonly events: readonly EventType[];
      /** Dotted paths into the event envelope (`data.status`) → a value, or a list of accepted values. */
      readonly filter?: Readonly<Record<string, FilterValue | readonly FilterValue[]>>;
    };

export type TriggerType = WorkflowTrigger['type'];

export const MANUAL: WorkflowTrigger = Object.freeze({ type: 'manual' });

export const MAX_TRIGGER_EVENTS = 20;
export const MAX_FILTER_KEYS = 10;

const Scalar = z.union([z.string().max(256), z.number(), z.boolean(), z.null()]);
const FilterPath = z
  .string()
  .max(128)
  .regex(/^data(?:\.[A-Za-z0-9_-]+)+$/, 'filter keys are dotted paths into the event data, such as data.status');

const EventName = z.enum(EVENT_TYPES, { error: `must be one of: ${EVENT_TYPES.join(', ')}` });

/** The trigger a definition may carry, as the caller writes it (the OpenAPI document embeds it). */
export const TriggerInputSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('manual') }),
    z.strictObject({
      type: z.literal('schedule'),
      cron: z.string({ error: 'cron is required for a schedule trigger, e.g. "0 9 * * MON-FRI"' }).min(1),
      timezone: z.string().min(1).max(64).default('UTC'),
    }),
    // CloudFlow's example sends the caller's own URL along; it is informational (the trigger URL is `webhook_url`).
    z.strictObject({ type: z.literal('webhook'), url: z.string().max(2048).optional() }),
    z.strictObject({
      type: z.literal('event'),
      events: z.array(EventName).min(1).max(MAX_TRIGGER_EVENTS).optional(),
      /** The singular spelling, for a trigger on one event type. */
      event: EventName.optional(),
      filter: z
        .record(FilterPath, z.union([Scalar, z.array(Scalar).min(1).max(20)]))
        .refine((f) => Object.keys(f).length <= MAX_FILTER_KEYS, `filter may have at most ${MAX_FILTER_KEYS} keys`)
        .optional(),
    }),
  ],
  { error: 'trigger.type must be manual, schedule, webhook or event' },
);

/**
 * The workflow's trigger from its parsed definition (manual when none is given). Throws a 400
 * `validation_error` whose `field` is the request path of the bad value, e.g. `trigger.cron`.
 */
export function triggerOf(ir: Pick<WorkflowIr, 'trigger' | 'metadata'>): WorkflowTrigger {
  const inMetadata = ir.metadata.trigger;
  if (ir.trigger !== undefined && inMetadata !== undefined) {
    throw new AppError('validation_error', 'trigger is given both in the body and in definition.metadata; keep one', { field: 'trigger' });
  }
  const [raw, base] = ir.trigger !== undefined ? [ir.trigger, 'trigger'] : [inMetadata, 'definition.metadata.trigger'];
  return raw === undefined || raw === null ? MANUAL : parseTrigger(raw, base);
}

export function parseTrigger(raw: unknown, base = 'trigger'): WorkflowTrigger {
  const parsed = TriggerInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = [base, ...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? [issue.keys[0] ?? ''] : [])].join('.');
    const message =
      issue.code === 'unrecognized_keys' ? `unknown field "${issue.keys[0]}" in the trigger` : issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    throw invalid(path, `${path}: ${message}`);
  }
  const t = parsed.data;
  switch (t.type) {
    case 'manual':
    case 'webhook':
      return { type: t.type };
    case 'schedule': {
      const problem = cronProblem(t.cron);
      if (problem) throw invalid(`${base}.cron`, `${base}.cron: ${problem}`);
      const timezone = canonicalTimezone(t.timezone);
      if (!timezone) throw invalid(`${base}.timezone`, `${base}.timezone: '${t.timezone}' is not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)`);
      return { type: 'schedule', cron: t.cron.trim().split(/\s+/).join(' '), timezone };
    }
    case 'event': {
      const events = [...new Set([...(t.events ?? []), ...(t.event ? [t.event] : [])])];
      if (events.length === 0) throw invalid(`${base}.events`, `${base}.events: list at least one event type (${EVENT_TYPES.slice(0, 3).join(', ')}, …)`);
      return { type: 'event', events, ...(t.filter && Object.keys(t.filter).length > 0 ? { filter: t.filter } : {}) };
    }
  }
}

const invalid = (field: string, message: string) => new AppError('validation_error', message, { field });

/** Behflow's `trigger_type`: webhooks are external events, so they count as event-based. */
export function processTriggerType(trigger: WorkflowTrigger | undefined): 'manual' | 'time_based' | 'event_based' {
  switch (trigger?.type ?? 'manual') {
    case 'schedule':
      return 'time_based';
    case 'event':
    case 'webhook':
      return 'event_based';
    default:
      return 'manual';
  }
}
