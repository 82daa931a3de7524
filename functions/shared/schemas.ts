import * as z from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT, type PageRequest } from '../core/pagination.ts';

/** ISO 8601: a date-time with offset, or a plain date (midnight UTC). Stored normalised to UTC. */
export const IsoInstant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((v) => new Date(v).toISOString())
  .meta({ description: 'ISO 8601 date-time (e.g. 2025-12-31T23:59:59Z) or date', example: '2025-12-31T23:59:59Z' });

const intParam = (name: string, min: number, max?: number) => {
  const base = z.coerce.number({ error: `${name} must be an integer` }).int(`${name} must be an integer`).min(min, `${name} must be at least ${min}`);
  return max === undefined ? base : base.max(max, `${name} must be between ${min} and ${max}`);
};

/**
 * List paging: `limit`/`offset`, the opaque `cursor`, or the `page`/`per_page` aliases
 * (AstraFlow, FlowCtl). Turned into one PageRequest.
 */
export const PagingQuery = z.object({
  limit: intParam('limit', 1, MAX_LIMIT).optional().meta({ description: `Items per page (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})` }),
  offset: intParam('offset', 0).optional().meta({ description: 'Items to skip (default 0)' }),
  cursor: z.string().min(1).max(2048).optional().meta({ description: 'The opaque pagination.next_cursor of the previous page (offset is then ignored)' }),
  page: intParam('page', 1).optional().meta({ description: 'Page number, 1-based (AstraFlow/FlowCtl alias of offset)' }),
  per_page: intParam('per_page', 1, MAX_LIMIT).optional().meta({ description: 'Alias of limit (AstraFlow)' }),
});

export function toPageRequest(q: z.output<typeof PagingQuery>): PageRequest {
  const limit = q.limit ?? q.per_page ?? DEFAULT_LIMIT;
  const offset = q.offset ?? (q.page !== undefined ? (q.page - 1) * limit : 0);
  return { limit, offset, cursor: q.cursor };
}

export const PaginationSchema = z
  .object({
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'Pagination' });

export const IdPath = z.object({ id: z.string().min(1).max(64).meta({ description: 'The resource’s id' }) });

export const MessageSchema = z.object({ message: z.string() }).meta({ id: 'Message' });

export const ERROR_CODES = [
  'invalid_request',
  'invalid_json',
  'validation_error',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limit_exceeded',
  'quota_exceeded',
  'payload_too_large',
  'internal_error',
] as const;

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      field: z.string().optional().meta({ description: 'The offending field (`tags.1`, `limit`, `If-Match`…)' }),
      details: z.record(z.string(), z.unknown()).optional().meta({ description: 'More about the error; `issues` lists every validation problem' }),
      retry_after: z.number().int().optional().meta({ description: 'Seconds until a retry can succeed (429)' }),
      request_id: z.string(),
    }),
  })
  .meta({ id: 'Error', description: 'The one error shape of the API' });

/** RFC 6749 §5.2: the token endpoint's own errors, so OAuth libraries understand them. */
export const OAuthErrorSchema = z
  .object({
    error: z.enum(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']),
    error_description: z.string(),
    request_id: z.string(),
  })
  .meta({ id: 'OAuthError', description: 'RFC 6749 §5.2 token endpoint error' });

