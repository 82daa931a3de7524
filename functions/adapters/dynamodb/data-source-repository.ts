import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DataSource, DataSourceType } from '../../core/data-sources/data-source.ts';
import type { DataSourceRepository } from '../../core/data-sources/ports.ts';
import { conditionalWrite } from './errors.ts';
import { keys } from './keys.ts';
import { forEachPage } from './paging.ts';

type Item = Record<string, unknown>;
const CONFIG_FIELDS = ['url', 'table', 'headers', 'bucket', 'prefix'] as const;

/** One item per source under the account's partition (`DATASRC#<name>`); listing is one Query. */
export class DynamoDataSourceRepository implements DataSourceRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(accountId: string): Promise<DataSource[]> {
    const out: DataSource[] = [];
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':prefix': keys.dataSourcePrefix },
      },
      async (items) => {
        for (const item of items) out.push(fromItem(item));
      },
    );
    return out;
  }

  async get(accountId: string, name: string): Promise<DataSource | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.dataSource(accountId, name), ConsistentRead: true }));
    return res.Item ? fromItem(res.Item) : undefined;
  }

  async put(source: DataSource, condition: 'create' | 'replace'): Promise<boolean> {
    return conditionalWrite(() =>
      this.db.send(new PutCommand({ TableName: this.tableName, Item: toItem(source), ConditionExpression: condition === 'create' ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)' })),
    );
  }

  async delete(accountId: string, name: string): Promise<boolean> {
    return conditionalWrite(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.dataSource(accountId, name), ConditionExpression: 'attribute_exists(pk)' })));
  }
}

function toItem(s: DataSource): Item {
  const item: Item = { ...keys.dataSource(s.accountId, s.name), entity: 'data_source', account_id: s.accountId, name: s.name, type: s.type, created_at: s.createdAt, updated_at: s.updatedAt };
  for (const field of CONFIG_FIELDS) if (s[field] !== undefined) item[field] = s[field];
  return item;
}

function fromItem(item: Item): DataSource {
  const source: Record<string, unknown> = { accountId: String(item.account_id), name: String(item.name), type: String(item.type) as DataSourceType, createdAt: String(item.created_at), updatedAt: String(item.updated_at) };
  for (const field of CONFIG_FIELDS) if (item[field] !== undefined) source[field] = item[field];
  return source as unknown as DataSource;
}
