/**
 * The API's one error shape (`{"error":{"code","message","field"?,"details"?,"request_id"}}`,
 * docs/api.md#errors) as a thrown error, so callers that want exceptions rather than openapi-fetch's
 * `{data, error}` pairs get the code, message and field intact.
 */
import type { components } from './schema.ts';

export type ApiErrorBody = components['schemas']['Error']['error'];

export class StepwiseApiError extends Error {
  override readonly name = 'StepwiseApiError';
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly requestId: string | undefined;
  /** The error object as the API sent it (or one made up for a non-JSON answer). */
  readonly body: ApiErrorBody | undefined;

  constructor(status: number, body: Partial<ApiErrorBody> | undefined, fallback?: string) {
    super(body?.message ?? fallback ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? (status >= 500 ? 'internal_error' : 'invalid_request');
    this.field = body?.field;
    this.details = body?.details;
    this.requestId = body?.request_id;
    this.body = body?.code ? (body as ApiErrorBody) : undefined;
  }
}

/** The error object of an API answer, when the body is the API's error shape. */
export function errorBodyOf(body: unknown): ApiErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as Partial<ApiErrorBody>;
  return typeof e.code === 'string' && typeof e.message === 'string' ? (e as ApiErrorBody) : undefined;
}

/** What openapi-fetch resolves with: exactly one of data and error is set. */
export interface FetchResultLike<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of an openapi-fetch answer, or a StepwiseApiError carrying the API's error. A 2xx without
 * a body (204) resolves to `undefined`, which the type says.
 */
export async function unwrap<T>(result: Promise<FetchResultLike<T>> | FetchResultLike<T>): Promise<T> {
  const { data, error, response } = await result;
  if (response.ok) return data as T;
  const body = errorBodyOf(error);
  throw new StepwiseApiError(response.status, body, typeof error === 'string' && error ? error : `${response.status} ${response.statusText}`.trim());
}
