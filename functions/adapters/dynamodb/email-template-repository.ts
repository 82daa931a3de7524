import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmailTemplate } from '../../core/email/email-template.ts';
import type { EmailTemplateRepository } from '../../core/email/ports.ts';
import { conditionalWrite } from './errors.ts';
import { keys } from './keys.ts';
import { forEachPage } from './paging.ts';

type Item = Record<string, unknown>;

/** One item per template under the account's partition; listing is one Query on the prefix. */
export class DynamoEmailTemplateRepository implements EmailTemplateRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(accountId: string): Promise<EmailTemplate[]> {
    const out: EmailTemplate[] = [];
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':prefix': keys.emailTemplatePrefix },
      },
      async (items) => {
        for (const item of items) out.push(fromItem(item));
      },
    );
    return out;
  }

  async get(accountId: string, id: string): Promise<EmailTemplate | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.emailTemplate(accountId, id), ConsistentRead: true }));
    return res.Item ? fromItem(res.Item) : undefined;
  }

  async put(template: EmailTemplate, options: { mustExist?: boolean; mustNotExist?: boolean }): Promise<'created' | 'replaced' | 'exists' | 'missing'> {
    const condition = options.mustNotExist ? 'attribute_not_exists(pk)' : options.mustExist ? 'attribute_exists(pk)' : undefined;
    const written = await conditionalWrite(() =>
      this.db.send(new PutCommand({ TableName: this.tableName, Item: toItem(template), ...(condition ? { ConditionExpression: condition } : {}) })),
    );
    if (!written) return options.mustNotExist ? 'exists' : 'missing';
    return options.mustExist ? 'replaced' : 'created';
  }

  async delete(accountId: string, id: string): Promise<boolean> {
    return conditionalWrite(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.emailTemplate(accountId, id), ConditionExpression: 'attribute_exists(pk)' })));
  }
}

function toItem(t: EmailTemplate): Item {
  return {
    ...keys.emailTemplate(t.accountId, t.id),
    entity: 'email_template',
    account_id: t.accountId,
    id: t.id,
    subject: t.subject,
    text: t.text,
    html: t.html,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

function fromItem(item: Item): EmailTemplate {
  return {
    accountId: String(item.account_id),
    id: String(item.id),
    subject: String(item.subject ?? ''),
    text: String(item.text ?? ''),
    html: String(item.html ?? ''),
    createdAt: String(item.created_at),
    updatedAt: String(item.updated_at),
  };
}
