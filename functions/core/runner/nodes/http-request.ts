import { asRecord, executed, recordsOf, type NodeExecutor } from './run.ts';
import { buildUrl, DEFAULT_HTTP_TIMEOUT_MS, failUnlessOk, hasHeader, parseBody, send, stringHeaders, timeoutFrom } from './http.ts';

/** `http.request`: the response (status, headers, body) is the output; 408, 429 and 5xx are retryable. */
export const httpRequest: NodeExecutor = {
  async execute(run) {
    const p = asRecord(await run.templates.resolve(run.params));
    const method = typeof p.method === 'string' ? p.method.toUpperCase() : 'GET';
    const url = buildUrl(p.url, p.query);
    const headers = stringHeaders(p.headers);
    let body: string | undefined;
    if (typeof p.body === 'string') body = p.body;
    else if (p.body !== undefined && p.body !== null) {
      body = JSON.stringify(p.body);
      if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    }
    const timeoutMs = timeoutFrom(p.timeout, run.deps.limits?.defaultTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS);

    run.log('info', 'HTTP request', { method, url });
    const response = await send(run, { method, url, headers, body, timeoutMs });
    const parsed = parseBody(response);
    failUnlessOk(run, response, 'HTTP request failed');
    run.log('info', 'HTTP request successful', { status_code: response.status, url: response.url });
    return executed(
      { status_code: response.status, headers: response.headers, body: parsed, ...(response.truncated ? { truncated: true } : {}) },
      { status_code: response.status, ...(response.truncated ? { truncated: true } : {}) },
      recordsOf(parsed),
    );
  },
};
