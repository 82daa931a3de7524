import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../functions/system/openapi.ts';
import { createContract, type Exchange } from './contract.ts';

/** The checker the e2e suite runs on every response: it must catch each kind of mismatch. */
const contract = createContract(buildOpenApiDocument('test') as unknown as Record<string, unknown>);

const task = { id: 'task_1', task_id: 'task_1', name: 'x', description: null, status: 'pending', priority: 'medium', due_date: null, tags: [], created_at: 'a', updated_at: 'b', version: 1 };
const ok: Exchange = {
  method: 'GET',
  url: '/api/v1/tasks/task_1',
  requestHeaders: { authorization: 'Bearer t' },
  requestBody: undefined,
  status: 200,
  responseHeaders: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'req_1', etag: '"1"', 'x-ratelimit-limit': '100' },
  responseBody: JSON.stringify(task),
};

describe('the OpenAPI contract checker', () => {
  it('accepts a response the document describes', () => {
    expect(contract.check(ok)).toEqual([]);
  });

  it('catches an undocumented status, a body off its schema, an undeclared header and a missing required one', () => {
    expect(contract.check({ ...ok, status: 418 })).toEqual([expect.stringContaining('status 418 is not documented')]);
    expect(contract.check({ ...ok, responseBody: JSON.stringify({ ...task, priority: 'extreme' }) })).toEqual([expect.stringContaining('response body: /priority')]);
    expect(contract.check({ ...ok, responseHeaders: { ...ok.responseHeaders, location: '/x' } })).toEqual([expect.stringContaining("'location' is not declared")]);
    const { 'x-request-id': _, ...withoutId } = ok.responseHeaders;
    expect(contract.check({ ...ok, responseHeaders: withoutId })).toEqual([expect.stringContaining("required response header 'x-request-id' is missing")]);
    expect(contract.check({ ...ok, responseHeaders: { ...ok.responseHeaders, 'content-type': 'text/plain' } })).toEqual([expect.stringContaining("media type 'text/plain' is not documented")]);
  });

  it('catches a request the server accepted but the document refuses (the document is never stricter than the server)', () => {
    const created: Exchange = {
      ...ok,
      method: 'POST',
      url: '/api/v1/tasks',
      requestHeaders: { 'content-type': 'application/json' },
      requestBody: JSON.stringify({ name: 'x', colour: 'red' }),
      status: 201,
      responseHeaders: { ...ok.responseHeaders, location: '/api/v1/tasks/task_1' },
    };
    expect(contract.check(created)).toEqual([expect.stringContaining('the server accepted a request body the document refuses')]);
    expect(contract.check({ ...created, requestBody: JSON.stringify({ name: 'x' }) })).toEqual([]);
    expect(contract.check({ ...ok, url: '/api/v1/tasks?priority=extreme', responseHeaders: { ...ok.responseHeaders, etag: undefined }, responseBody: JSON.stringify({ data: [], tasks: [], pagination: { total: 0, limit: 20, offset: 0, has_more: false, next_cursor: null }, total: 0, page: 1 }) })).toEqual([
      expect.stringContaining("the server accepted query 'priority=extreme'"),
    ]);
  });

  it('resolves shared error responses and their headers, and ignores the gateway’s 404 for unknown paths', () => {
    const unauthorized = { error: { code: 'unauthorized', message: 'no', request_id: 'req_1' } };
    expect(contract.check({ ...ok, status: 401, responseHeaders: { ...ok.responseHeaders, etag: undefined, 'www-authenticate': 'Bearer' }, responseBody: JSON.stringify(unauthorized) })).toEqual([]);
    expect(contract.check({ ...ok, status: 401, responseHeaders: { ...ok.responseHeaders, etag: undefined }, responseBody: JSON.stringify({ detail: 'no' }) })).toEqual([expect.stringContaining('response body')]);
    expect(contract.check({ ...ok, url: '/nowhere', status: 404 })).toEqual([]);
  });
});
