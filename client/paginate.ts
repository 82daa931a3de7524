/**
 * Every list answers `{data: […], pagination: {total, limit, offset, has_more, next_cursor}}`
 * (docs/api.md#lists). `paginate` walks one as an async iterator: it follows `next_cursor` (or the
 * offset when a list has no cursor) until `has_more` is false, one page at a time, so a loop that
 * stops early reads no further pages.
 */
import { unwrap, type FetchResultLike } from './errors.ts';
import type { components, paths } from './schema.ts';
import type { Client } from 'openapi-fetch';

type Pagination = components['schemas']['Pagination'];
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

/** The paths whose GET answers a page: `data` and `pagination`. */
export type ListPath = {
  [P in keyof paths]: paths[P] extends { get: infer Op } ? (JsonOk<Op> extends { data: unknown[]; pagination: Pagination } ? P : never) : never;
}[keyof paths];

type GetOp<P extends ListPath> = paths[P] extends { get: infer Op } ? Op : never;
export type ListItem<P extends ListPath> = JsonOk<GetOp<P>> extends { data: (infer T)[] } ? T : never;
type Parameters_<P extends ListPath> = GetOp<P> extends { parameters: infer X } ? X : never;
type QueryOf<P extends ListPath> = Parameters_<P> extends { query?: infer Q } ? Q : never;
type PathOf<P extends ListPath> = Parameters_<P> extends { path: infer A } ? (A extends Record<string, unknown> ? A : never) : never;

export type PaginateInit<P extends ListPath> = { query?: Omit<NonNullable<QueryOf<P>>, 'cursor' | 'offset' | 'page' | 'per_page'> } & ([PathOf<P>] extends [never] ? { path?: never } : { path: PathOf<P> });

export interface PaginateOptions {
  /** Items per request (the API's `limit`, at most 100; default 100). */
  pageSize?: number;
  /** Stop after this many items. */
  max?: number;
  signal?: AbortSignal;
}

type Page = { data: unknown[]; pagination: Pagination };
type LooseGet = (path: string, init: { params: { path?: unknown; query: Record<string, unknown> }; signal?: AbortSignal }) => Promise<FetchResultLike<Page>>;

export async function* paginate<P extends ListPath>(client: Client<paths>, path: P, init?: PaginateInit<P>, options: PaginateOptions = {}): AsyncGenerator<ListItem<P>, void, undefined> {
  const { pageSize = 100, max = Number.POSITIVE_INFINITY, signal } = options;
  const get = client.GET as unknown as LooseGet;
  const base = { ...(init?.query as Record<string, unknown> | undefined) };
  let cursor: string | undefined;
  let offset = 0;
  let yielded = 0;
  while (yielded < max) {
    const limit = Math.min(pageSize, max - yielded);
    const query = { ...base, limit, ...(cursor ? { cursor } : offset ? { offset } : {}) };
    const page = await unwrap(get(path, { params: { ...(init?.path ? { path: init.path } : {}), query }, ...(signal ? { signal } : {}) }));
    for (const item of page.data) {
      if (yielded >= max) return;
      yield item as ListItem<P>;
      yielded++;
    }
    if (!page.pagination.has_more || page.data.length === 0) return;
    cursor = page.pagination.next_cursor ?? undefined;
    offset = page.pagination.offset + page.data.length;
  }
}

/** Every item of a list (or the first `max`), as an array. */
export async function listAll<P extends ListPath>(client: Client<paths>, path: P, init?: PaginateInit<P>, options?: PaginateOptions): Promise<ListItem<P>[]> {
  const out: ListItem<P>[] = [];
  for await (const item of paginate(client, path, init, options)) out.push(item);
  return out;
}
