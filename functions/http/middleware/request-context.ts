import type { MiddlewareObj } from '@middy/core';
import { newId } from '../../core/ids.ts';
import { normaliseHeaders } from '../headers.ts';
import type { HttpEvent, HttpResponse, PipelineState } from '../types.ts';

/**
 * First in, last out: establishes the request id and normalised headers, and stamps
 * `X-Request-Id` (plus any rate-limit headers) on every response, errors included.
 */
export function requestContext(): MiddlewareObj<HttpEvent, HttpResponse, Error> {
  const stamp = (request: { response: HttpResponse | null; internal: Record<string, unknown> }) => {
    if (!request.response) return;
    const state = request.internal as Partial<PipelineState>;
    const headers: Record<string, string> = {};
    // Header middlewares mark removals with `undefined`; a proxy response must not carry them.
    for (const [name, value] of Object.entries({ ...request.response.headers, ...state.rateLimitHeaders })) {
      if (value !== undefined && value !== null) headers[name] = String(value);
    }
    headers['X-Request-Id'] = state.requestId ?? '';
    request.response.headers = headers;
  };
  return {
    name: 'requestContext',
    before: (request) => {
      const state = request.internal as Partial<PipelineState>;
      state.requestId = request.event.requestContext?.requestId || newId('request');
      state.headers = normaliseHeaders(request.event);
      state.rateLimitHeaders = {};
    },
    after: stamp,
    onError: stamp,
  };
}
