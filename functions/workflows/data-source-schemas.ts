import * as z from 'zod';
import { DATA_SOURCE_NAME_PATTERN, DATA_SOURCE_NAME_RULE } from '../../statemachines/node-types.ts';
import type { DataSource } from '../core/data-sources/data-source.ts';

export const DataSourceName = z
  .string({ error: `name ${DATA_SOURCE_NAME_RULE}` })
  .regex(DATA_SOURCE_NAME_PATTERN, { error: `name ${DATA_SOURCE_NAME_RULE}` })
  .meta({ description: 'What fetch_data names as its source', example: 'users_table' });

export const DataSourcePath = z.object({ name: DataSourceName });

const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;
const url = z.string().min(1).max(2_048).meta({ description: 'postgres:// URL (password as {{secrets.KEY}}), or the http(s) URL' });
const table = z.string().regex(SQL_IDENTIFIER, 'must be a table name (letters, digits, _; optionally schema.table)').meta({ description: 'postgres: the default table fetch_data reads; dynamodb: your table' });
const dynamoTable = z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name').meta({ description: 'Your own DynamoDB table' });
const headers = z
  .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}$/, 'must be an HTTP header name'), z.string().max(8_192))
  .refine((h) => Object.keys(h).length <= 50, 'at most 50 headers')
  .meta({ description: 'http: request headers; credential headers must be {{secrets.KEY}} references' });
const bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').meta({ description: 's3: the bucket' });
const prefix = z.string().max(1_024).meta({ description: 's3: the key prefix' });

export const CreateDataSourceBody = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ name: DataSourceName, type: z.literal('postgres'), url, table: table.optional() }),
      z.strictObject({ name: DataSourceName, type: z.literal('http'), url, headers: headers.optional() }),
      z.strictObject({ name: DataSourceName, type: z.literal('s3'), bucket, prefix: prefix.optional() }),
      z.strictObject({ name: DataSourceName, type: z.literal('dynamodb'), table: dynamoTable }),
    ],
    { error: 'type must be postgres, http, s3 or dynamodb' },
  )
  .meta({ id: 'CreateDataSource' });

export const PatchDataSourceBody = z
  .strictObject({
    type: z.enum(['postgres', 'http', 's3', 'dynamodb']).optional(),
    url: url.optional(),
    table: z.union([z.string().min(1).max(255), z.null()]).optional(),
    headers: z.union([headers, z.null()]).optional(),
    bucket: bucket.optional(),
    prefix: z.union([prefix, z.null()]).optional(),
  })
  .meta({ id: 'PatchDataSource', description: 'The fields to change; null removes an optional one. The result is checked whole.' });

export const DataSourceSchema = z
  .object({
    name: z.string(),
    type: z.enum(['postgres', 'http', 's3', 'dynamodb']),
    url: z.string().optional(),
    table: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    bucket: z.string().optional(),
    prefix: z.string().optional(),
    built_in: z.boolean().meta({ description: 'The local Postgres source every account has in local mode' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'DataSource', description: 'A named source fetch_data reads; credentials appear only as {{secrets.KEY}} references' });

export const DataSourceListSchema = z.object({ data: z.array(DataSourceSchema) }).meta({ id: 'DataSourceList' });

export function dataSourceView(s: DataSource): z.output<typeof DataSourceSchema> {
  return {
    name: s.name,
    type: s.type,
    ...(s.url !== undefined ? { url: s.url } : {}),
    ...(s.table !== undefined ? { table: s.table } : {}),
    ...(s.headers !== undefined ? { headers: { ...s.headers } } : {}),
    ...(s.bucket !== undefined ? { bucket: s.bucket } : {}),
    ...(s.prefix !== undefined ? { prefix: s.prefix } : {}),
    built_in: s.builtIn === true,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}
