/** The one error vocabulary (docs/api.md#errors). The HTTP pipeline maps an AppError to the wire shape. */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limit_exceeded: 429,
  quota_exceeded: 429,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface AppErrorOptions {
  field?: string;
  details?: Record<string, unknown>;
  /** Extra response headers, e.g. Retry-After or WWW-Authenticate. */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.field = options.field;
    this.details = options.details;
    this.headers = options.headers;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/**
 * What a port throws: a `kind` its callers branch on (retry, status, message) and what happened.
 * Each port names its own subclass and kinds; `name` is set by the subclass, since minified bundles
 * rename classes.
 */
export abstract class PortFailure<K extends string> extends Error {
  readonly kind: K;
  constructor(kind: K, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
  }
}

export const validationError = (field: string, message: string, details?: Record<string, unknown>) =>
  new AppError('validation_error', message, { field, ...(details ? { details } : {}) });

/** Another tenant's resource and a missing one are indistinguishable on purpose. */
export const notFound = (what: string, id?: string) =>
  new AppError('not_found', id ? `${what} '${id}' was not found` : `${what} was not found`);

export const conflict = (message: string, field?: string) =>
  new AppError('conflict', message, field ? { field } : {});

export const unauthorized = (message = 'Authentication is required') =>
  new AppError('unauthorized', message, { headers: { 'WWW-Authenticate': 'Bearer realm="stepwise"' } });

export const forbidden = (message: string) => new AppError('forbidden', message);
