import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScheduledFire } from '../../../../functions/core/triggers/trigger-service.ts';
import type { ScheduleSpec } from '../../../../functions/core/triggers/ports.ts';
import { LocalScheduler, LocalSchedules } from '../../../../functions/adapters/local/local-scheduler.ts';

const spec = (workflowId: string, cron: string, extra: Partial<ScheduleSpec> = {}): ScheduleSpec => ({ accountId: 'acct_1', workflowId, cron, timezone: 'UTC', enabled: true, ...extra });

describe('LocalScheduler (the local cron loop)', () => {
  let fired: ScheduledFire[];
  const fire = async (f: ScheduledFire) => void fired.push(f);

  beforeEach(() => {
    fired = [];
    vi.useFakeTimers({ now: new Date('2026-03-01T10:00:30Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires each due slot once, in real time at scale 1', async () => {
    const loop = new LocalScheduler({ fire, load: async () => [spec('wf_a', '* * * * *'), spec('wf_b', '*/5 * * * *')] });
    await loop.start();
    expect(loop.upcoming()).toEqual(new Map([['wf_a', new Date('2026-03-01T10:01:00Z')], ['wf_b', new Date('2026-03-01T10:05:00Z')]]));
    await vi.advanceTimersByTimeAsync(29_000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual([{ accountId: 'acct_1', workflowId: 'wf_a', scheduledTime: '2026-03-01T10:01:00.000Z' }]);
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(fired.map((f) => `${f.workflowId}@${f.scheduledTime.slice(11, 16)}`)).toEqual(['wf_a@10:01', 'wf_a@10:02', 'wf_a@10:03', 'wf_a@10:04', 'wf_a@10:05', 'wf_b@10:05']);
    await loop.stop();
  });

  it('runs a virtual clock 1/timeScale as fast: a minute passes in 0.6 s at 0.01', async () => {
    const loop = new LocalScheduler({ fire, load: async () => [spec('wf_a', '* * * * *')], timeScale: 0.01 });
    await loop.start();
    await vi.advanceTimersByTimeAsync(300); // 30 virtual seconds: the 10:01 slot
    expect(fired.map((f) => f.scheduledTime)).toEqual(['2026-03-01T10:01:00.000Z']);
    await vi.advanceTimersByTimeAsync(1_200); // two more virtual minutes
    expect(fired.map((f) => f.scheduledTime)).toEqual(['2026-03-01T10:01:00.000Z', '2026-03-01T10:02:00.000Z', '2026-03-01T10:03:00.000Z']);
    await loop.stop();
  });

  it('follows upserts and removals through LocalSchedules, skips disabled schedules, and stops firing when stopped', async () => {
    const loop = new LocalScheduler({ fire, load: async () => [] });
    await loop.start();
    const provisioner = new LocalSchedules(loop);
    await provisioner.put(spec('wf_a', '* * * * *'));
    await provisioner.put(spec('wf_b', '* * * * *', { enabled: false }));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fired.map((f) => f.workflowId)).toEqual(['wf_a']);
    await provisioner.put(spec('wf_a', '0 * * * *'));
    await provisioner.remove('wf_a');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fired).toHaveLength(1);
    await provisioner.put(spec('wf_c', '* * * * *'));
    await loop.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fired).toHaveLength(1);
  });

  it('rebuilds from the stored schedules after a restart and never fires a slot from before it', async () => {
    const stored = [spec('wf_a', '* * * * *')];
    const first = new LocalScheduler({ fire, load: async () => stored });
    await first.start();
    await vi.advanceTimersByTimeAsync(30_000);
    await first.stop();
    vi.setSystemTime(new Date('2026-03-01T10:03:10Z'));
    const second = new LocalScheduler({ fire, load: async () => stored });
    await second.start();
    expect(second.upcoming().get('wf_a')).toEqual(new Date('2026-03-01T10:04:00Z'));
    await vi.advanceTimersByTimeAsync(50_000);
    expect(fired.map((f) => f.scheduledTime)).toEqual(['2026-03-01T10:01:00.000Z', '2026-03-01T10:04:00.000Z']);
    await second.stop();
  });

  it('keeps going when starting a run fails', async () => {
    const errors: string[] = [];
    const loop = new LocalScheduler({
      fire: async (f) => {
        fired.push(f);
        throw new Error('dynamo down');
      },
      load: async () => [spec('wf_a', '* * * * *')],
      logger: { error: (m) => void errors.push(m) },
    });
    await loop.start();
    await vi.advanceTimersByTimeAsync(90_000);
    expect(fired).toHaveLength(2);
    expect(errors).toEqual(['local scheduler: could not start a scheduled run', 'local scheduler: could not start a scheduled run']);
    await loop.stop();
  });
});
