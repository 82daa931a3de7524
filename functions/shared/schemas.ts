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
  limit: intParam('limit', 1, MAX_LIMIT).optional(),
  offset: intParam('offset', 0).optional(),
  cursor: z.string().min(1).max(2048).optional(),
  page: intParam('page', 1).optional(),
  per_page: intParam('per_page', 1, MAX_LIMIT).optional(),
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

export const IdPath = z.object({ id: z.string().min(1).max(64) });

export const MessageSchema = z.object({ message: z.string() }).meta({ id: 'Message' });
