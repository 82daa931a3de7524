import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBridgePublisher, entrySize } from '../../../../functions/adapters/aws/eventbridge-publisher.ts';
import { awsPlatform } from '../../../../functions/root/aws.ts';
import { parseConfig } from '../../../../functions/root/config.ts';
import type { PublishedEvent } from '../../../../functions/core/events/catalog.ts';

const eventBridge = mockClient(EventBridgeClient);
beforeEach(() => eventBridge.reset());

const BUS = 'stepwise-dev-events';
const A = 'acct_01JAAAAAAAAAAAAAAAAAAAAAAA';
const event = (n: number, data: Record<string, unknown> = { n }, name: PublishedEvent['event'] = 'task.created'): PublishedEvent => ({
  id: `evt_01JAAAAAAAAAAAAAAAAAAAA${String(n).padStart(3, '0')}`,
  event: name,
  timestamp: '2026-03-01T10:00:00.123Z',
  account_id: A,
  data,
});

function publisher(options: { maxAttempts?: number } = {}) {
  const sleep = vi.fn(async () => undefined);
  const factory = vi.fn(async () => new EventBridgeClient({ region: 'eu-west-1' }));
  return { publisher: new EventBridgePublisher(factory, { eventBusName: BUS, sleep, ...options }), sleep, factory };
}
const entriesOfCall = (i: number) => eventBridge.commandCalls(PutEventsCommand)[i]!.args[0].input.Entries!;

describe('EventBridgePublisher', () => {
  it('puts each event on the bus: source by kind, detail-type the event name, detail the whole envelope, time the event’s', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }, { EventId: '2' }] });
    const { publisher: subject, factory } = publisher();
    expect(factory).not.toHaveBeenCalled();
    const log = event(2, { execution_id: 'exec_1', message: 'hi' }, 'execution.log');
    await subject.publish([event(1), log]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input).toEqual({
      Entries: [
        { EventBusName: BUS, Source: 'stepwise', DetailType: 'task.created', Detail: JSON.stringify(event(1)), Time: new Date('2026-03-01T10:00:00.123Z') },
        { EventBusName: BUS, Source: 'stepwise.internal', DetailType: 'execution.log', Detail: JSON.stringify(log), Time: new Date('2026-03-01T10:00:00.123Z') },
      ],
    });
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('sends at most 10 entries per call, in order', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    await publisher().publisher.publish(Array.from({ length: 23 }, (_, i) => event(i)));
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries!.length)).toEqual([10, 10, 3]);
    expect(calls.flatMap((c) => c.args[0].input.Entries!.map((e) => (JSON.parse(e.Detail!) as PublishedEvent).data.n))).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('keeps each call within 256 KB', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const big = (n: number) => event(n, { n, blob: 'x'.repeat(100 * 1024) });
    await publisher().publisher.publish([big(1), big(2), big(3), big(4), big(5)]);
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries!.length)).toEqual([2, 2, 1]);
    for (const call of calls) expect(call.args[0].input.Entries!.reduce((sum, e) => sum + entrySize(e), 0)).toBeLessThanOrEqual(256 * 1024);
  });

  it('refuses an event that alone is over 256 KB, before sending anything', async () => {
    await expect(publisher().publisher.publish([event(1), event(2, { blob: 'x'.repeat(256 * 1024) })])).rejects.toThrow(/^Event task.created is \d+ bytes; EventBridge accepts at most 262144$/);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('sizes entries the way EventBridge does (time, source, detail-type, detail, resources in UTF-8)', () => {
    expect(entrySize({ Source: 'stepwise', DetailType: 'task.created', Detail: '{"é":1}', Time: new Date() })).toBe(14 + 8 + 12 + 8);
    expect(entrySize({ Source: 's', Resources: ['ab', 'c'] })).toBe(1 + 3);
  });

  it('sends again only the entries EventBridge refused, after a backoff', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 2, Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }, { EventId: 'c' }, { ErrorCode: 'InternalFailure' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }, { EventId: 'd' }] });
    const { publisher: subject, sleep } = publisher();
    await subject.publish([event(1), event(2), event(3), event(4)]);
    expect(entriesOfCall(1).map((e) => (JSON.parse(e.Detail!) as PublishedEvent).data.n)).toEqual([2, 4]);
    expect(entriesOfCall(1)[0]).toEqual(entriesOfCall(0)[1]);
    expect(sleep.mock.calls).toEqual([[100]]);
  });

  it('throws when entries keep failing, so the stream retries the records behind them', async () => {
    // Event 2 is refused every time; event 1 goes through the first time.
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: { Detail: string }[] }) => {
      const results = input.Entries.map((e) => ((JSON.parse(e.Detail) as PublishedEvent).data.n === 2 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'boom' } : { EventId: 'ok' }));
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    });
    const { publisher: subject, sleep } = publisher({ maxAttempts: 4 });
    await expect(subject.publish([event(1), event(2)])).rejects.toThrow('EventBridge refused 1 of 1 events after 4 attempts (InternalFailure)');
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(4);
    expect(sleep.mock.calls).toEqual([[100], [200], [400]]);
    expect(eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([2, 1, 1, 1]);
  });

  it('sends the whole call again when EventBridge reports failures without saying which', async () => {
    eventBridge.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 1 }).resolves({ FailedEntryCount: 0 });
    await publisher().publisher.publish([event(1), event(2)]);
    expect(entriesOfCall(1)).toEqual(entriesOfCall(0));
  });

  it('does not call EventBridge for nothing', async () => {
    const { publisher: subject, factory } = publisher();
    await subject.publish([]);
    expect(factory).not.toHaveBeenCalled();
  });
});

describe('events wiring (aws mode)', () => {
  const env = { TABLE_NAME: 't', JWKS_SECRET_ARN: 'arn:jwks', AWS_REGION: 'eu-west-1' };

  it('publishes through EventBridge to EVENT_BUS_NAME', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    await awsPlatform(parseConfig({ ...env, EVENT_BUS_NAME: BUS })).publisher().publish([event(1)]);
    expect(entriesOfCall(0)).toEqual([expect.objectContaining({ EventBusName: BUS, Source: 'stepwise', DetailType: 'task.created' })]);
  });

  it('needs EVENT_BUS_NAME', () => {
    expect(() => awsPlatform(parseConfig(env)).publisher()).toThrow('EVENT_BUS_NAME is required to publish domain events');
  });
});
