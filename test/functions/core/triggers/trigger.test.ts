import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../functions/core/errors.ts';
import { parseTrigger, processTriggerType, triggerOf } from '../../../../functions/core/triggers/trigger.ts';

/** The 400 a bad trigger raises: code, field and message. */
function failure(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('triggers from definitions', () => {
  it('defaults to manual', () => {
    expect(triggerOf({ metadata: {} })).toEqual({ type: 'manual' });
    expect(triggerOf({ trigger: { type: 'manual' }, metadata: {} })).toEqual({ type: 'manual' });
  });

  it('normalises a schedule: whitespace, default and canonical time zone', () => {
    expect(parseTrigger({ type: 'schedule', cron: ' 0  9 * * MON-FRI ' })).toEqual({ type: 'schedule', cron: '0 9 * * MON-FRI', timezone: 'UTC' });
    expect(parseTrigger({ type: 'schedule', cron: '0 9 * * *', timezone: 'europe/berlin' })).toEqual({ type: 'schedule', cron: '0 9 * * *', timezone: 'Europe/Berlin' });
  });

  it('names the field of a bad cron or an unknown zone (400 validation_error)', () => {
    expect(failure(() => parseTrigger({ type: 'schedule', cron: '61 * * * *' }))).toMatchObject({ code: 'validation_error', field: 'trigger.cron', message: expect.stringMatching(/^trigger\.cron: cron is invalid/) });
    expect(failure(() => parseTrigger({ type: 'schedule', cron: '0 9 * *' }))).toMatchObject({ field: 'trigger.cron', message: expect.stringMatching(/5 fields/) });
    expect(failure(() => parseTrigger({ type: 'schedule', cron: '0 9 * * *', timezone: 'Mars/Olympus' }))).toMatchObject({ field: 'trigger.timezone', message: expect.stringMatching(/not an IANA time zone/) });
    expect(failure(() => parseTrigger({ type: 'schedule' }))).toMatchObject({ field: 'trigger.cron', message: expect.stringMatching(/cron is required/) });
    expect(failure(() => parseTrigger({ type: 'schedule', cron: '0 9 * * *', every: 'day' }))).toMatchObject({ field: 'trigger.every', message: expect.stringMatching(/unknown field "every"/) });
    expect(failure(() => parseTrigger({ type: 'cron' }))).toMatchObject({ field: 'trigger.type', message: expect.stringMatching(/manual, schedule, webhook or event/) });
  });

  it('reads FlowRunner’s metadata.trigger, with its own path in errors, and refuses two triggers', () => {
    expect(triggerOf({ metadata: { trigger: { type: 'webhook' } } })).toEqual({ type: 'webhook' });
    expect(failure(() => triggerOf({ metadata: { trigger: { type: 'schedule', cron: 'nope' } } }))).toMatchObject({ field: 'definition.metadata.trigger.cron' });
    expect(failure(() => triggerOf({ trigger: { type: 'manual' }, metadata: { trigger: { type: 'webhook' } } }))).toMatchObject({ field: 'trigger', message: expect.stringMatching(/both/) });
  });

  it('keeps CloudFlow’s informational webhook url out of the checked trigger', () => {
    expect(parseTrigger({ type: 'webhook', url: 'https://your-app.com/webhook' })).toEqual({ type: 'webhook' });
  });

  it('takes event types as a list or one `event`, deduplicated, with an optional filter on data paths', () => {
    expect(parseTrigger({ type: 'event', events: ['workflow.failed', 'workflow.failed'], event: 'task.created' })).toEqual({ type: 'event', events: ['workflow.failed', 'task.created'] });
    expect(parseTrigger({ type: 'event', event: 'workflow.completed', filter: { 'data.status': 'completed', 'data.workflow_name': ['a', 'b'] } })).toEqual({
      type: 'event',
      events: ['workflow.completed'],
      filter: { 'data.status': 'completed', 'data.workflow_name': ['a', 'b'] },
    });
    expect(failure(() => parseTrigger({ type: 'event' }))).toMatchObject({ field: 'trigger.events' });
    expect(failure(() => parseTrigger({ type: 'event', events: ['task.exploded'] }))).toMatchObject({ field: 'trigger.events.0', message: expect.stringMatching(/must be one of: task\.created/) });
    expect(failure(() => parseTrigger({ type: 'event', event: 'task.created', filter: { status: 'x' } }))).toMatchObject({ field: expect.stringMatching(/^trigger\.filter/), message: expect.stringMatching(/dotted paths into the event data/) });
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`data.k${i}`, i]));
    expect(failure(() => parseTrigger({ type: 'event', event: 'task.created', filter: many }))).toMatchObject({ message: expect.stringMatching(/at most 10 keys/) });
  });

  it('maps to Behflow’s trigger_type', () => {
    expect(processTriggerType(undefined)).toBe('manual');
    expect(processTriggerType({ type: 'manual' })).toBe('manual');
    expect(processTriggerType({ type: 'schedule', cron: '0 9 * * *', timezone: 'UTC' })).toBe('time_based');
    expect(processTriggerType({ type: 'event', events: ['task.created'] })).toBe('event_based');
    expect(processTriggerType({ type: 'webhook' })).toBe('event_based');
  });
});
