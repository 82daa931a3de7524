import { AppError } from '../core/errors.ts';
import type { HttpResponse } from './types.ts';

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode: status,
    headers: { ...JSON_HEADERS, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/** The one error shape (docs/api.md#errors). Rate-limit errors also carry `retry_after` at the top of `error`. */
export function errorResponse(error: AppError, requestId: string): HttpResponse {
  const retryAfter = error.details?.retry_after;
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.field !== undefined ? { field: error.field } : {}),
      ...(error.details !== undefined ? { details: error.details } : {}),
      ...(retryAfter !== undefined ? { retry_after: retryAfter } : {}),
      request_id: requestId,
    },
  };
  return jsonResponse(error.status, body, error.headers ?? {});
}
