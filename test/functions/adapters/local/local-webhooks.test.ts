import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalDeliveryQueue } from '../../../../functions/adapters/local/local-webhooks.ts';
import type { QueueMessage } from '../../../../functions/core/webhooks/ports.ts';

const attempt = (n: number): QueueMessage => ({ kind: 'attempt', account_id: 'acct_1', webhook_id: 'whk_1', delivery_id: 'dlv_1', attempt: n });

afterEach(() => vi.useRealTimers());

describe('LocalDeliveryQueue (local mode’s SQS)', () => {
  it('hands each message over after its delay, as a copy', async () => {
    vi.useFakeTimers();
    const seen: { at: number; message: QueueMessage }[] = [];
    const sent = attempt(2);
    const queue = new LocalDeliveryQueue(async (message) => void seen.push({ at: Date.now(), message }));
    const start = Date.now();
    await queue.send([{ message: sent, delayMs: 5_000 }, { message: { kind: 'sweep' }, delayMs: 0 }]);
    expect(queue.size).toBe(2);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(seen.map((s) => s.message.kind)).toEqual(['sweep']);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen.map((s) => [s.message.kind, s.at - start])).toEqual([
      ['sweep', 0],
      ['attempt', 5_000],
    ]);
    expect(seen[1]!.message).toEqual(sent);
    expect(seen[1]!.message).not.toBe(sent);
    expect(queue.size).toBe(0);
  });

  it('gives a message whose consumer threw back later, up to maxReceives, then drops it and says so', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const queue = new LocalDeliveryQueue(
      async () => {
        calls++;
        throw new Error('table unavailable');
      },
      { maxReceives: 3, redeliveryMs: 1_000, logger: { error: (...args) => void errors.push(args) } },
    );
    await queue.send([{ message: attempt(1), delayMs: 0 }]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(3);
    expect(errors).toHaveLength(1);
  });

  it('consumes at most maxInFlight messages at once; the rest wait their turn (SQS’s bounded concurrency)', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    const queue = new LocalDeliveryQueue(
      async (m) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        if (m.kind === 'attempt') done.push(m.attempt);
      },
      { maxInFlight: 3 },
    );
    await queue.send(Array.from({ length: 10 }, (_, i) => ({ message: attempt(i + 1), delayMs: 0 })));
    await new Promise((r) => setTimeout(r, 5));
    await queue.drain();
    expect(peak).toBe(3);
    expect(done.toSorted((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('stop() drops waiting messages and lets the running ones finish', async () => {
    let release!: () => void;
    const finished: number[] = [];
    const queue = new LocalDeliveryQueue(async (m) => {
      if (m.kind === 'attempt' && m.attempt === 1) await new Promise<void>((r) => (release = r));
      if (m.kind === 'attempt') finished.push(m.attempt);
    });
    await queue.send([{ message: attempt(1), delayMs: 0 }, { message: attempt(2), delayMs: 60_000 }]);
    await new Promise((r) => setTimeout(r, 20));
    const stopping = queue.stop();
    release();
    await stopping;
    expect(finished).toEqual([1]);
    expect(queue.size).toBe(0);
    await queue.send([{ message: attempt(3), delayMs: 0 }]);
    expect(queue.size).toBe(0);
  });
});
