import { nextFireTime } from '../../core/triggers/cron.ts';
import type { ErrorLogger } from '../../core/logger.ts';
import type { ScheduledFire } from '../../core/triggers/trigger-service.ts';
import type { ScheduleProvisioner, ScheduleSpec } from '../../core/triggers/ports.ts';

/** setTimeout's ceiling (about 24.8 days); a later slot is reached by re-planning on wake-up. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LocalSchedulerOptions {
  /** Starts the slot's run (the scheduled-run handler, exactly what EventBridge Scheduler invokes on AWS). */
  fire: (fire: ScheduledFire) => Promise<void>;
  /** Every stored schedule: the loop rebuilds itself from these on start, so it survives restarts. */
  load: () => Promise<readonly ScheduleSpec[]>;
  /**
   * Like the local engine's Wait states: 1 is real time, 0.01 makes a minute pass in 0.6 s. The
   * loop keeps a virtual clock that starts at real "now" and runs 1/timeScale times as fast.
   */
  timeScale?: number;
  /** Real time in ms (tests pass their own). */
  now?: () => number;
  logger?: ErrorLogger;
}

interface Entry {
  spec: ScheduleSpec;
  /** The next slot, in virtual ms. */
  next: number;
}

/**
 * Local mode's EventBridge Scheduler: one timer for the earliest due slot of all enabled schedules.
 * Slots missed while the server was down are not caught up (Scheduler does not either); a slot
 * fired twice — a restart inside it, two servers on one table — starts one run, because the run's
 * idempotency key is the workflow id plus the slot time.
 */
export class LocalScheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly scale: number;
  private readonly realNow: () => number;
  private readonly anchor: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: LocalSchedulerOptions) {
    this.scale = options.timeScale ?? 1;
    this.realNow = options.now ?? Date.now;
    this.anchor = this.realNow();
  }

  /** The loop's clock: real time at start, then 1/timeScale as fast. */
  now(): number {
    return this.anchor + (this.realNow() - this.anchor) / this.scale;
  }

  async start(): Promise<void> {
    for (const spec of await this.options.load()) this.set(spec);
    this.plan();
  }

  upsert(spec: ScheduleSpec): void {
    this.set(spec);
    this.plan();
  }

  remove(workflowId: string): void {
    this.entries.delete(workflowId);
    this.plan();
  }

  /** The next slot of each enabled schedule (virtual time), for tests and diagnostics. */
  upcoming(): Map<string, Date> {
    return new Map([...this.entries].map(([id, e]) => [id, new Date(e.next)]));
  }

  /** Stops planning and waits for runs being started. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    while (this.inFlight.size > 0) await Promise.allSettled(this.inFlight);
  }

  private set(spec: ScheduleSpec): void {
    if (!spec.enabled) {
      this.entries.delete(spec.workflowId);
      return;
    }
    this.entries.set(spec.workflowId, { spec, next: nextFireTime(spec.cron, spec.timezone, new Date(this.now())).getTime() });
  }

  private plan(): void {
    clearTimeout(this.timer);
    if (this.stopped || this.entries.size === 0) return;
    const earliest = Math.min(...[...this.entries.values()].map((e) => e.next));
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil((earliest - this.now()) * this.scale)));
    this.timer = setTimeout(() => this.tick(), delay);
    // A schedule alone must not keep the process alive (SIGTERM handling, tests).
    this.timer.unref();
  }

  private tick(): void {
    const now = this.now();
    for (const entry of this.entries.values()) {
      if (entry.next > now) continue;
      const slot = entry.next;
      // One run per due slot; slots that passed while the loop was blocked are skipped, not queued.
      entry.next = nextFireTime(entry.spec.cron, entry.spec.timezone, new Date(Math.max(slot, now))).getTime();
      const { accountId, workflowId } = entry.spec;
      const run = this.options
        .fire({ accountId, workflowId, scheduledTime: new Date(slot).toISOString() })
        .catch((error: unknown) => this.options.logger?.error('local scheduler: could not start a scheduled run', { workflow_id: workflowId, error: (error as Error).message }));
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    }
    this.plan();
  }
}

/**
 * The ScheduleProvisioner of local mode: tells the local server's running loop. The stored trigger
 * state is what a restart reloads; a thread without the loop (the engine's) tells nobody.
 */
export class LocalSchedules implements ScheduleProvisioner {
  constructor(private readonly loop: Pick<LocalScheduler, 'upsert' | 'remove'> | undefined) {}

  async put(spec: ScheduleSpec): Promise<void> {
    this.loop?.upsert(spec);
  }

  async remove(workflowId: string): Promise<void> {
    this.loop?.remove(workflowId);
  }
}
