/** Page requests and page results, independent of how storage pages (offset or opaque cursor). */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
  /** Opaque continuation token from a previous page; when present, `offset` is ignored. */
  readonly cursor: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly nextCursor: string | undefined;
}

export interface PaginationView {
  total: number;
  limit: number;
  offset: number;
  has_more: boolean;
  next_cursor: string | null;
}

export function paginationView(page: Page<unknown>, request: PageRequest): PaginationView {
  const offset = request.cursor ? 0 : request.offset;
  return {
    total: page.total,
    limit: request.limit,
    offset,
    has_more: page.nextCursor !== undefined,
    next_cursor: page.nextCursor ?? null,
  };
}
