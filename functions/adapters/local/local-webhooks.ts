import type { DomainEvent } from '../../core/events/catalog.ts';
import type { ErrorLogger } from '../../core/logger.ts';
import { parseQueueMessage } from '../../core/webhooks/messages.ts';
import type { DeliveryQueue, QueueMessage } from '../../core/webhooks/ports.ts';
import { ALL_DOMAIN_EVENTS } from '../../../lib/definitions/event-patterns.ts';
import type { LocalBus } from './local-bus.ts';
import type { WebhookDispatcher } from '../../core/webhooks/dispatcher.ts';


export interface LocalDeliveryQueueOptions {
  /** Receives before a message that keeps failing is dropped (SQS's maxReceiveCount → DLQ). */
  readonly maxReceives?: number;
  /** How long a failed receive waits before the next (SQS's visibility timeout). */
  readonly redeliveryMs?: number;
  /**
   * Messages consumed at once; the rest wait their turn. AWS bounds the same thing with the event
   * source's maximum concurrency × batch size (10 × 10); without it a burst of events would open a
   * request per event at once.
   */
  readonly maxInFlight?: number;
  readonly logger?: ErrorLogger;
}

/**
 * Local mode's SQS: messages wait out their delay on a timer, are handed over serialised (as SQS
 * would, so no consumer shares objects with a producer), and a consumer that throws gets the
 * message again later, up to `maxReceives`. Nothing here is durable, and nothing needs to be: every
 * delivery's next attempt is in the table, and attachLocalWebhooks sweeps it back in at start.
 */
export class LocalDeliveryQueue implements DeliveryQueue {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Due, waiting for a free slot. */
  private readonly ready: { body: string; receive: number }[] = [];
  private stopped = false;
  private readonly maxReceives: number;
  private readonly redeliveryMs: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly consume: (message: QueueMessage) => Promise<unknown>,
    private readonly options: LocalDeliveryQueueOptions = {},
  ) {
    this.maxReceives = options.maxReceives ?? 5;
    this.redeliveryMs = options.redeliveryMs ?? 1_000;
    this.maxInFlight = options.maxInFlight ?? 100;
  }

  async send(messages: ReadonlyArray<{ message: QueueMessage; delayMs: number }>): Promise<void> {
    for (const { message, delayMs } of messages) this.schedule(JSON.stringify(message), delayMs, 1);
  }

  /** Messages waiting for their delay plus those being consumed. */
  get size(): number {
    return this.timers.size + this.ready.length + this.inFlight.size;
  }

  /** Waits for the messages being consumed now and those due (not for delayed ones). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled(this.inFlight);
  }

  /** Drops waiting messages (their deliveries stay pending in the table) and lets consumers finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.ready.length = 0;
    await this.drain();
  }

  private schedule(body: string, delayMs: number, receive: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.ready.push({ body, receive });
      this.pump();
    }, Math.max(0, delayMs));
    this.timers.add(timer);
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.maxInFlight && this.ready.length > 0) {
      const { body, receive } = this.ready.shift()!;
      const run = this.receive(body, receive);
      this.inFlight.add(run);
      void run.finally(() => {
        this.inFlight.delete(run);
        this.pump();
      });
    }
  }

  private async receive(body: string, receive: number): Promise<void> {
    try {
      await this.consume(parseQueueMessage(body));
    } catch (error) {
      if (receive >= this.maxReceives) {
        this.options.logger?.error('local webhook queue: message dropped after repeated failures (the sweep re-enqueues its delivery)', { receives: receive, error: (error as Error).message });
        return;
      }
      this.schedule(body, this.redeliveryMs, receive + 1);
    }
  }
}

export interface LocalWebhooksOptions {
  /** The dispatcher the Lambda runs on AWS, from the local server's Stepwise (built on first delivery). */
  readonly dispatcher: () => Pick<WebhookDispatcher, 'handle' | 'sweep'>;
  /** STEPWISE_TIME_SCALE: the retry schedule and the 5-day disable window shrink by it. */
  readonly timeScale?: number;
  /** How often overdue deliveries are looked for (their message was lost); real time. */
  readonly sweepIntervalMs?: number;
  readonly logger?: ErrorLogger;
}

export interface LocalWebhooks {
  readonly queue: LocalDeliveryQueue;
  /** Waits for deliveries being attempted now. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Local mode's webhook delivery: the same dispatcher as the AWS Lambda, fed by a rule on the local
 * bus with the same pattern CDK deploys (ALL_DOMAIN_EVENTS) through the in-process queue. At start
 * it sweeps every pending delivery from the table back onto the queue, so retries scheduled before
 * a restart resume; a periodic sweep catches any message lost since.
 */
export function localDeliveryQueue(options: Pick<LocalWebhooksOptions, 'dispatcher' | 'logger'>): LocalDeliveryQueue {
  return new LocalDeliveryQueue((message) => options.dispatcher().handle(message), { logger: options.logger });
}

/** Feeds `queue` from the bus and sweeps pending deliveries back onto it (see above). */
export async function attachLocalWebhooks(bus: Pick<LocalBus, 'subscribe'>, queue: LocalDeliveryQueue, options: LocalWebhooksOptions): Promise<LocalWebhooks> {
  const { dispatcher } = options;
  bus.subscribe('webhook-deliveries', ALL_DOMAIN_EVENTS, (event) => queue.send([{ message: { kind: 'event', event: event.detail as DomainEvent }, delayMs: 0 }]));
  const sweep = (everything: boolean) =>
    dispatcher()
      .sweep({ everything })
      .catch((error: unknown) => options.logger?.error('local webhooks: sweep failed', { error: (error as Error).message }));
  await sweep(true);
  const interval = setInterval(() => void sweep(false), options.sweepIntervalMs ?? 60_000);
  interval.unref();
  return {
    queue,
    drain: () => queue.drain(),
    async stop() {
      clearInterval(interval);
      await queue.stop();
    },
  };
}
