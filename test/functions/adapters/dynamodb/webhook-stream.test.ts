import { GetCommand, PutCommand, UpdateCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CHANGE_MAPPERS, ITEM_DECODERS } from '../../../../functions/adapters/dynamodb/event-sources.ts';
import { StreamChanges } from '../../../../functions/adapters/dynamodb/stream-changes.ts';
import { DynamoWebhookRepository } from '../../../../functions/adapters/dynamodb/webhook-repository.ts';
import { toLambdaRecord } from '../../../../functions/adapters/local/local-table-stream.ts';
import { ChangeFeed } from '../../../../functions/core/events/change-feed.ts';
import { generateWebhookSecret } from '../../../../functions/core/webhooks/secrets.ts';
import type { Webhook } from '../../../../functions/core/webhooks/webhook.ts';
import { isEventSourceRecord } from '../../../../lib/definitions/change-stream.ts';

const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const ddb = mockClient(DynamoDBDocumentClient);

/**
 * The webhook item's way into the event feed: the repository's item, as the stream carries it,
 * passes the event source filter, decodes with the repository's own conversion and maps to
 * `webhook.disabled` — with the secret nowhere in the event.
 */
describe('webhook items on the change stream', () => {
  beforeEach(() => ddb.reset());

  const webhook: Webhook = {
    id: 'whk_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    accountId: A,
    url: 'https://example.com/hook',
    events: ['*'],
    description: null,
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    failingSince: '2026-02-24T10:00:00.000Z',
    secret: generateWebhookSecret(),
    previousSecret: null,
    createdAt: '2026-02-01T00:00:00.000Z',
    updatedAt: '2026-02-24T10:00:00.000Z',
    version: 4,
  };

  /** The item exactly as the repository writes it (captured from its PutCommand). */
  async function storedItem(w: Webhook): Promise<Record<string, unknown>> {
    ddb.on(PutCommand).resolves({});
    await new DynamoWebhookRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'table').update({ ...w, version: w.version - 1 }, w);
    return ddb.commandCalls(PutCommand).at(-1)!.args[0].input.Item as Record<string, unknown>;
  }

  const record = (old: Record<string, unknown>, next: Record<string, unknown>) =>
    toLambdaRecord(
      {
        eventID: 'modify-1',
        eventName: 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'eu-west-1',
        dynamodb: {
          ApproximateCreationDateTime: new Date('2026-03-01T10:05:07.000Z'),
          Keys: marshall({ pk: old.pk, sk: old.sk }),
          NewImage: marshall(next, { removeUndefinedValues: true }),
          OldImage: marshall(old, { removeUndefinedValues: true }),
          SequenceNumber: '1',
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
      'arn:aws:dynamodb:eu-west-1:111122223333:table/t/stream/x',
    );

  it('a disable by the dispatcher becomes webhook.disabled for the account, without the secret', async () => {
    const before = await storedItem(webhook);
    const after = await storedItem({ ...webhook, enabled: false, disabledReason: 'failing', disabledAt: '2026-03-01T10:05:07.000Z', updatedAt: '2026-03-01T10:05:07.000Z', version: 5 });
    const rec = record(before, after);
    expect(isEventSourceRecord(rec)).toBe(true);
    const change = new StreamChanges(ITEM_DECODERS).changeOf(rec)!;
    expect(change).toMatchObject({ entity: 'webhook', accountId: A, old: { enabled: true }, new: { enabled: false, disabledReason: 'failing' } });
    const events = new ChangeFeed(CHANGE_MAPPERS).eventsOf(change);
    expect(events).toEqual([
      {
        id: expect.stringMatching(/^evt_/),
        event: 'webhook.disabled',
        timestamp: '2026-03-01T10:05:07.000Z',
        account_id: A,
        data: { webhook_id: webhook.id, url: webhook.url, events: ['*'], reason: 'failing', disabled_at: '2026-03-01T10:05:07.000Z', failing_since: '2026-02-24T10:00:00.000Z' },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(webhook.secret);
  });

  it('the dispatcher’s targeted disable writes what the mapper reads (enabled, reason, time)', async () => {
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    const repo = new DynamoWebhookRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'table');
    expect(await repo.disable(A, webhook.id, 'gone', '2026-03-01T10:05:07.000Z')).toBe(true);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      TableName: 'table',
      Key: { pk: `ACCT#${A}`, sk: `WEBHOOK#${webhook.id}` },
      UpdateExpression: 'SET enabled = :false, disabled_reason = :reason, disabled_at = :now, updated_at = :now ADD version :one',
      ConditionExpression: 'attribute_exists(pk) AND enabled = :true',
      ExpressionAttributeValues: { ':false': false, ':true': true, ':reason': 'gone', ':now': '2026-03-01T10:05:07.000Z', ':one': 1 },
    });
  });
});
