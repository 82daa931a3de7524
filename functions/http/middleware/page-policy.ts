import type { MiddlewareObj } from '@middy/core';
import type { HttpEvent, HttpResponse } from '../types.ts';

/**
 * The Content-Security-Policy of the API's HTML answers: a page that runs nothing, unless its
 * operation states a policy of its own. middy's security headers would put their default policy
 * (the same `default-src 'none'` with `sandbox`) on every HTML answer over the operation's, which
 * left the interactive docs blank in a browser (test/e2e/console/api-docs.test.ts); the pipeline
 * turns that part of them off and this keeps the default for every other page.
 */
export const API_PAGE_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

export function pagePolicy(): MiddlewareObj<HttpEvent, HttpResponse, Error> {
  const apply = (request: { response: HttpResponse | null }) => {
    const headers = request.response?.headers;
    if (!headers) return;
    const type = headers['Content-Type'] ?? headers['content-type'];
    if (type?.includes('text/html') && !headers['Content-Security-Policy']) headers['Content-Security-Policy'] = API_PAGE_POLICY;
  };
  return { name: 'pagePolicy', after: apply, onError: apply };
}
