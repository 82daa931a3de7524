import * as iam from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { TABLE } from './definitions/table.ts';

/** How much of the table a function may touch. `get`: point reads by key, nothing else. */
export type TableAccess = 'read-write' | 'get' | 'describe' | 'none';

// No Scan: the design forbids scans in the request path (lists use the GSIs), so a function
// that tries one should fail loudly instead of running up read capacity.
// Transact* and PartiQL have no actions of their own worth granting: TransactWriteItems is
// authorised per item as Put/Update/Delete/ConditionCheckItem, TransactGetItems as GetItem.
export const ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/**
 * Grants exactly the table access in `access`. Index ARNs are listed one by one from the table
 * definition rather than `<table>/index/*`, so the policy has no wildcard and a new GSI is a
 * reviewed change in lib/definitions/table.ts.
 */
export function grantTableAccess(table: ITable, grantee: iam.IGrantable, access: TableAccess): void {
  switch (access) {
    case 'none':
      return;
    case 'get':
      iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:GetItem'], resourceArns: [table.tableArn] });
      return;
    case 'describe':
      iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:DescribeTable'], resourceArns: [table.tableArn] });
      return;
    case 'read-write':
      iam.Grant.addToPrincipal({ grantee, actions: [...ITEM_ACTIONS], resourceArns: [table.tableArn] });
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['dynamodb:Query'],
        resourceArns: TABLE.globalSecondaryIndexes.map((gsi) => `${table.tableArn}/index/${gsi.indexName}`),
      });
      return;
  }
}
