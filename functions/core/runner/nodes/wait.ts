import * as z from 'zod';
import { parseDuration, toWholeSeconds } from '../../../../statemachines/durations.ts';
import { nonRetryable } from '../errors.ts';
import { asRecord, describe, type NodeExecutor } from './run.ts';

/** Wait states accept at most a year, the same bound the schema puts on static waits. */
const MAX_WAIT_SECONDS = 31_536_000;

/** `wait`: a templated time resolved to seconds or a timestamp; the native Wait state waits. */
export const wait: NodeExecutor = {
  async resolve_wait(run) {
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
  },
};

function checkedWait(seconds: number): number {
  if (seconds > MAX_WAIT_SECONDS) throw nonRetryable(`wait must be at most ${MAX_WAIT_SECONDS} seconds (365d), got ${seconds}`);
  return seconds;
}
