import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HealthProbe } from '../../core/system/health.ts';

/** DescribeTable is a control-plane read: it proves reachability and permissions without touching data. */
export function tableProbe(db: DynamoDBDocumentClient, tableName: string): HealthProbe {
  return {
    name: 'dynamodb',
    async check() {
      const out = await db.send(new DescribeTableCommand({ TableName: tableName }));
      if (out.Table?.TableStatus !== 'ACTIVE' && out.Table?.TableStatus !== 'UPDATING') {
        throw new Error(`table status ${out.Table?.TableStatus ?? 'unknown'}`);
      }
    },
  };
}
