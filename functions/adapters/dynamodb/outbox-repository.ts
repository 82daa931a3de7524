import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PageRequest } from '../../core/pagination.ts';
import type { Outbox, OutboxEntry } from '../../core/email/ports.ts';
import { keys } from './keys.ts';
import { queryPage } from './paging.ts';

type Item = Record<string, unknown>;

/** Local mode's outbox in the table: one item per email under the account, read newest first. */
export class DynamoOutbox implements Outbox {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(accountId: string, entry: OutboxEntry): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.outboxEntry(accountId, entry.id),
          entity: 'outbox_email',
          account_id: accountId,
          id: entry.id,
          to: entry.to,
          subject: entry.subject,
          text: entry.text,
          html: entry.html,
          sent_at: entry.sentAt,
        },
      }),
    );
  }

  async list(accountId: string, page: PageRequest): Promise<{ items: OutboxEntry[]; total: number; nextCursor: string | undefined }> {
    const pk = keys.accountPrefix(accountId);
    const res = await queryPage(
      this.db,
      this.tableName,
      {
        input: {
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.outboxPrefix },
          ScanIndexForward: false,
        },
        partition: { attr: 'pk', value: pk },
        keyAttrs: ['pk', 'sk'],
      },
      page,
    );
    return { items: res.items.map(fromItem), total: res.total, nextCursor: res.nextCursor };
  }
}

function fromItem(item: Item): OutboxEntry {
  return { id: String(item.id), to: String(item.to), subject: String(item.subject ?? ''), text: String(item.text ?? ''), html: String(item.html ?? ''), sentAt: String(item.sent_at) };
}
