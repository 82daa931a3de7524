import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { runnerFailure as failure } from '../../../support/fakes.ts';
import { JsonataWorkerPool } from '../../../../functions/adapters/expressions/jsonata-worker-pool.ts';
import type { NodeType } from '../../../../statemachines/node-types.ts';
import { MAX_MAP_ITEMS_PER_RUN, RUNNER_ERRORS, type TaskRunnerAction, type TaskRunnerRequest } from '../../../../statemachines/task-runner-contract.ts';
import { RUNNER_CANCELLED, nonRetryable } from '../../../../functions/core/runner/errors.ts';
import {
  runAction,
  webhookId,
  WEBHOOK_SECRET_KEY,
  type ExecutorContext,
  type ExecutorDeps,
  type LogLevel,
  type StepSnapshot,
} from '../../../../functions/core/runner/executors.ts';
import { HttpFailure, type HttpRequest, type HttpResponse } from '../../../../functions/core/runner/ports.ts';
import { verifyWebhook } from '../../../../functions/core/webhooks/signature.ts';

const ACCOUNT = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const API_KEY = 'sk_live_0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = new Date('2030-01-01T00:00:00.000Z');

function request(node_type: NodeType, params: Record<string, unknown>, overrides: Partial<TaskRunnerRequest> = {}): TaskRunnerRequest {
  return {
    node_id: 'node1',
    node_type,
    action: 'execute',
    params,
    account_id: ACCOUNT,
    workflow_id: 'wf_1',
    execution_id: 'arn:aws:states:us-east-1:111122223333:execution:m:exec-1',
    input: { user: { id: 42, name: 'Ada' }, orders: [{ id: 'o1' }, { id: 'o2' }] },
    retry_count: 0,
    ...overrides,
  };
}

const action = (a: TaskRunnerAction, node_type: NodeType, params: Record<string, unknown>, overrides: Partial<TaskRunnerRequest> = {}) =>
  request(node_type, params, { action: a, ...overrides });

interface LogLine {
  level: LogLevel;
  message: string;
  data: Record<string, unknown> | undefined;
}

function context(options: { input?: unknown; steps?: Record<string, StepSnapshot>; secrets?: Record<string, string>; signal?: AbortSignal } = {}) {
  const logs: LogLine[] = [];
  const stepReads: string[] = [];
  const secretReads: string[] = [];
  const steps = options.steps ?? {};
  const secrets = options.secrets ?? { API_KEY, WEBHOOK_SECRET };
  const ctx: ExecutorContext = {
    accountId: ACCOUNT,
    input: options.input ?? { user: { id: 42, name: 'Ada' }, orders: [{ id: 'o1' }, { id: 'o2' }] },
    step: async (id) => {
      stepReads.push(id);
      return steps[id];
    },
    secret: async (key) => {
      secretReads.push(key);
      return secrets[key];
    },
    signal: options.signal ?? new AbortController().signal,
    log: (level, message, data) => logs.push({ level, message, data }),
    now: () => NOW,
  };
  return { ctx, logs, stepReads, secretReads };
}

class FakeHttp {
  readonly requests: HttpRequest[] = [];
  constructor(private readonly answer: (req: HttpRequest) => HttpResponse | Error = () => json(200, { ok: true })) {}
  async request(req: HttpRequest): Promise<HttpResponse> {
    this.requests.push(req);
    const answer = this.answer(req);
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

function json(status: number, body: unknown, url = 'https://api.example.com/final'): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body), truncated: false, url };
}

// The real evaluator: expressions run in its worker threads, as in the task runner.
const expressions = new JsonataWorkerPool();
afterAll(() => expressions.close());

function deps(http = new FakeHttp(), lambda: ExecutorDeps['lambda'] = { invoke: async () => ({ ok: true }) }, limits?: ExecutorDeps['limits']): ExecutorDeps {
  return { http, lambda, expressions, ...(limits ? { limits } : {}) };
}

describe('http.request', () => {
  it('resolves templates, appends the query and sends a JSON body', async () => {
    const http = new FakeHttp();
    const { ctx } = context({ steps: { prev: { status: 'completed', output: { token: 't-1' } } } });
    const { result } = await runAction(
      request('http.request', {
        method: 'POST',
        url: 'https://api.example.com/users/{{input.user.id}}?keep=1',
        headers: { Authorization: 'Bearer {{secrets.API_KEY}}', 'X-Prev': '{{steps.prev.output.token}}' },
        query: { name: '{{input.user.name}}', page: 2, all: true },
        body: { id: '{{input.user.id}}', who: 'user {{input.user.name}}' },
      }),
      ctx,
      deps(http),
    );
    expect(http.requests).toEqual([
      {
        method: 'POST',
        url: 'https://api.example.com/users/42?keep=1&name=Ada&page=2&all=true',
        headers: { Authorization: `Bearer ${API_KEY}`, 'X-Prev': 't-1', 'content-type': 'application/json' },
        body: '{"id":42,"who":"user Ada"}',
        timeoutMs: 30_000,
        maxResponseBytes: 1_048_576,
        signal: ctx.signal,
        // Issue 13 #7: the client is told which parts carry a secret, so a cross-origin redirect drops them.
        secretHeaders: ['Authorization'],
        secretBody: false,
      },
    ]);
    expect(result).toEqual({
      action: 'execute',
      output: { status_code: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { ok: true } },
      summary: { status_code: 200 },
    });
  });

  it('sends a string body as-is and keeps a given content-type', async () => {
    const http = new FakeHttp();
    await runAction(
      request('http.request', { method: 'PUT', url: 'https://a.example/x', headers: { 'Content-Type': 'text/csv' }, body: 'a,b\n{{input.user.id}},2' }),
      context().ctx,
      deps(http),
    );
    expect(http.requests[0]).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'text/csv' }, body: 'a,b\n42,2' });
    await runAction(request('http.request', { method: 'POST', url: 'https://a.example/x', headers: { 'content-type': 'application/vnd+json' }, body: { a: 1 } }), context().ctx, deps(http));
    expect(http.requests[1]?.headers).toEqual({ 'content-type': 'application/vnd+json' });
  });

  it('sends no body for GET without one', async () => {
    const http = new FakeHttp();
    await runAction(request('http.request', { method: 'GET', url: 'https://a.example/' }), context().ctx, deps(http));
    expect(http.requests[0]?.body).toBeUndefined();
    expect(http.requests[0]?.headers).toEqual({});
  });

  it('takes the timeout from params (durations and templates) and limits from deps', async () => {
    const http = new FakeHttp();
    await runAction(request('http.request', { method: 'GET', url: 'https://a.example/', timeout: '1m30s' }), context().ctx, deps(http));
    await runAction(request('http.request', { method: 'GET', url: 'https://a.example/', timeout: 2.5 }), context().ctx, deps(http));
    await runAction(request('http.request', { method: 'GET', url: 'https://a.example/', timeout: '{{input.t}}' }), context({ input: { t: '500ms' } }).ctx, deps(http));
    await runAction(request('http.request', { method: 'GET', url: 'https://a.example/' }), context().ctx, deps(http, undefined, { defaultTimeoutMs: 5_000, maxResponseBytes: 10 }));
    expect(http.requests.map((r) => [r.timeoutMs, r.maxResponseBytes])).toEqual([
      [90_000, 1_048_576],
      [2_500, 1_048_576],
      [500, 1_048_576],
      [5_000, 10],
    ]);
    const bad = await failure(runAction(request('http.request', { method: 'GET', url: 'https://a.example/', timeout: '{{input.t}}' }), context({ input: { t: 'soon' } }).ctx, deps(http)));
    expect(bad).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining('timeout') });
  });

  it('returns text bodies as text and falls back to text when JSON does not parse', async () => {
    const responses: HttpResponse[] = [
      { status: 200, headers: { 'content-type': 'text/plain' }, body: '{"looks":"json"}', truncated: false, url: 'https://a.example/' },
      { status: 200, headers: { 'content-type': 'application/json' }, body: '{"cut": "of', truncated: true, url: 'https://a.example/' },
      { status: 200, headers: { 'content-type': 'application/problem+json' }, body: '{"title":"x"}', truncated: false, url: 'https://a.example/' },
      { status: 204, headers: { 'content-type': 'application/json' }, body: '', truncated: false, url: 'https://a.example/' },
    ];
    const http = new FakeHttp(() => responses.shift() ?? json(200, {}));
    const outputs = [];
    for (let i = 0; i < 4; i++) outputs.push((await runAction(request('http.request', { method: 'GET', url: 'https://a.example/' }), context().ctx, deps(http))).result);
    expect(outputs.map((r) => (r.action === 'execute' ? (r.output as { body: unknown }).body : undefined))).toEqual([
      '{"looks":"json"}',
      '{"cut": "of',
      { title: 'x' },
      '',
    ]);
    expect(outputs[1]).toMatchObject({ output: { truncated: true }, summary: { status_code: 200, truncated: true } });
  });

  it('logs the request and its success, masked', async () => {
    const { ctx, logs } = context();
    await runAction(request('http.request', { method: 'GET', url: 'https://a.example/q?key={{secrets.API_KEY}}' }), ctx, deps(new FakeHttp(() => json(200, {}, 'https://a.example/q?key=' + API_KEY))));
    expect(logs).toEqual([
      { level: 'info', message: 'HTTP request', data: { method: 'GET', url: 'https://a.example/q?key=***' } },
      { level: 'info', message: 'HTTP request successful', data: { status_code: 200, url: 'https://a.example/q?key=***' } },
    ]);
  });

  it('masks secrets that come back in the output', async () => {
    const http = new FakeHttp((req) => ({
      status: 200,
      headers: { 'content-type': 'application/json', 'x-echo': req.headers.Authorization ?? '' },
      body: JSON.stringify({ headers: { Authorization: req.headers.Authorization } }),
      truncated: false,
      url: req.url,
    }));
    const { result, secretValues } = await runAction(
      request('http.request', { method: 'GET', url: 'https://echo.example/', headers: { Authorization: 'Bearer {{secrets.API_KEY}}' } }),
      context().ctx,
      deps(http),
    );
    expect(secretValues).toEqual(new Set([API_KEY]));
    expect(JSON.stringify(result)).not.toContain(API_KEY);
    expect(result).toMatchObject({ output: { headers: { 'x-echo': 'Bearer ***' }, body: { headers: { Authorization: 'Bearer ***' } } } });
  });

  it.each([
    [404, RUNNER_ERRORS.nonRetryable],
    [400, RUNNER_ERRORS.nonRetryable],
    [408, RUNNER_ERRORS.retryable],
    [429, RUNNER_ERRORS.retryable],
    [500, RUNNER_ERRORS.retryable],
    [503, RUNNER_ERRORS.retryable],
  ])('a %i response fails as %s with the status code', async (status, name) => {
    const { ctx, logs } = context();
    const error = await failure(runAction(request('http.request', { method: 'GET', url: 'https://a.example/' }), ctx, deps(new FakeHttp(() => json(status, { error: 'nope' })))));
    expect(error).toMatchObject({ name, message: `HTTP request failed with status ${status}`, details: { status_code: status, response_body: '{"error":"nope"}' } });
    expect(logs.at(-1)).toMatchObject({ level: 'warn', data: { status_code: status } });
  });

  it('masks secrets in failures', async () => {
    const http = new FakeHttp((req) => json(401, { received: req.headers['X-Key'] }, req.url));
    const error = await failure(runAction(request('http.request', { method: 'GET', url: 'https://a.example/?k={{secrets.API_KEY}}', headers: { 'X-Key': '{{secrets.API_KEY}}' } }), context().ctx, deps(http)));
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(API_KEY);
    expect(error.details).toMatchObject({ url: 'https://a.example/?k=***', response_body: '{"received":"***"}' });
  });

  it.each([
    ['ftp://files.example/x', /scheme ftp is not allowed/],
    ['not a url', /not a valid absolute URL/],
    ['https://user:pw@a.example/', /credentials in the URL/],
    ['{{input.nothing}}', /url must resolve to a non-empty string/],
  ])('refuses %s before any request', async (url, message) => {
    const http = new FakeHttp();
    const error = await failure(runAction(request('http.request', { method: 'GET', url }), context().ctx, deps(http)));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringMatching(message) });
    expect(http.requests).toEqual([]);
  });

  it.each([
    ['blocked_address', RUNNER_ERRORS.nonRetryable],
    ['invalid_url', RUNNER_ERRORS.nonRetryable],
    ['too_many_redirects', RUNNER_ERRORS.nonRetryable],
    ['timeout', RUNNER_ERRORS.retryable],
    ['network', RUNNER_ERRORS.retryable],
    ['aborted', RUNNER_CANCELLED],
  ] as const)('an HttpFailure %s becomes %s', async (kind, name) => {
    const error = await failure(runAction(request('http.request', { method: 'GET', url: 'https://a.example/' }), context().ctx, deps(new FakeHttp(() => new HttpFailure(kind, `x ${kind}`)))));
    expect(error).toMatchObject({ name, message: `x ${kind}` });
  });

  it('a missing secret fails before any request, naming the key', async () => {
    const http = new FakeHttp();
    const error = await failure(runAction(request('http.request', { method: 'GET', url: 'https://a.example/', headers: { A: '{{secrets.NOPE}}' } }), context().ctx, deps(http)));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining('NOPE') });
    expect(http.requests).toEqual([]);
  });

  it('reports CloudFlow record counts from the body', async () => {
    const { result } = await runAction(request('http.request', { method: 'GET', url: 'https://a.example/' }), context().ctx, deps(new FakeHttp(() => json(200, { records_processed: 120, records_failed: 3 }))));
    expect(result).toMatchObject({ records: { processed: 120, failed: 3 } });
    const partial = await runAction(request('http.request', { method: 'GET', url: 'https://a.example/' }), context().ctx, deps(new FakeHttp(() => json(200, { records_processed: 7 }))));
    expect(partial.result).toMatchObject({ records: { processed: 7, failed: 0 } });
    const none = await runAction(request('http.request', { method: 'GET', url: 'https://a.example/' }), context().ctx, deps(new FakeHttp(() => json(200, { records_processed: '7' }))));
    expect(none.result).not.toHaveProperty('records');
  });

  it('an aborted signal cancels before anything runs', async () => {
    const controller = new AbortController();
    controller.abort();
    const http = new FakeHttp();
    const error = await failure(runAction(request('http.request', { method: 'GET', url: 'https://a.example/' }), context({ signal: controller.signal }).ctx, deps(http)));
    expect(error).toMatchObject({ name: RUNNER_CANCELLED, retryable: false });
    expect(http.requests).toEqual([]);
  });
});

describe('webhook', () => {
  it('posts the execution input, signed with WEBHOOK_SECRET (Standard Webhooks)', async () => {
    const http = new FakeHttp(() => ({ status: 202, headers: {}, body: '', truncated: false, url: 'https://hooks.example/in' }));
    const { ctx, secretReads, logs } = context();
    const req = request('webhook', { method: 'POST', url: 'https://hooks.example/in', headers: { 'X-Tenant': 't1', 'webhook-id': 'spoofed' } });
    const { result, secretValues } = await runAction(req, ctx, deps(http));
    const sent = http.requests[0];
    expect(sent).toBeDefined();
    if (!sent) return;
    const id = webhookId(req);
    expect(sent.body).toBe(JSON.stringify(ctx.input));
    expect(sent.headers).toEqual({
      'X-Tenant': 't1',
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(NOW.getTime() / 1000),
      'webhook-signature': expect.stringMatching(/^v1,/),
    });
    const key = Buffer.from(WEBHOOK_SECRET.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${NOW.getTime() / 1000}.${sent.body}`).digest('base64');
    expect(sent.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(verifyWebhook({ headers: sent.headers, body: sent.body ?? '', secret: WEBHOOK_SECRET, now: NOW.getTime() / 1000 })).toEqual({ ok: true });
    expect(secretReads).toEqual([WEBHOOK_SECRET_KEY]);
    expect(secretValues).toEqual(new Set([WEBHOOK_SECRET]));
    expect(result).toEqual({ action: 'execute', output: { status_code: 202, webhook_id: id }, summary: { status_code: 202 } });
    expect(logs.map((l) => l.message)).toEqual(['Webhook delivery', 'Webhook delivered']);
    expect(logs[0]?.data).toMatchObject({ signed: true, signing_secret: 'WEBHOOK_SECRET' });
  });

  it('sends a resolved body and honours the method', async () => {
    const http = new FakeHttp(() => json(200, { records_processed: 5, records_failed: 1 }));
    const { result } = await runAction(request('webhook', { method: 'PUT', url: 'https://hooks.example/in', body: { event: 'done', user: '{{input.user.id}}' } }), context().ctx, deps(http));
    expect(http.requests[0]).toMatchObject({ method: 'PUT', body: '{"event":"done","user":42}', timeoutMs: 30_000 });
    expect(result).toMatchObject({ records: { processed: 5, failed: 1 } });
  });

  it('keeps the same webhook-id across retries, per node and per map item', async () => {
    const base = request('webhook', { method: 'POST', url: 'https://hooks.example/in' });
    expect(webhookId({ ...base, retry_count: 3 } as TaskRunnerRequest)).toBe(webhookId(base));
    expect(webhookId(base)).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(webhookId({ ...base, node_id: 'other' })).not.toBe(webhookId(base));
    expect(webhookId({ ...base, execution_id: 'other' })).not.toBe(webhookId(base));
    const item = (key: string) => webhookId({ ...base, map: { node_id: 'm', item: 1, index: 0, key } });
    expect(item('0')).not.toBe(item('1'));
    expect(item('0')).not.toBe(webhookId(base));
  });

  it('without WEBHOOK_SECRET it posts unsigned and says so in its log line (FlowRunner’s example flow)', async () => {
    const http = new FakeHttp(() => ({ status: 200, headers: {}, body: '', truncated: false, url: 'https://hooks.example/in' }));
    const { ctx, logs, secretReads } = context({ secrets: {} });
    const { result } = await runAction(request('webhook', { method: 'POST', url: 'https://hooks.example/in' }), ctx, deps(http));
    expect(http.requests[0]?.headers).toEqual({ 'content-type': 'application/json' });
    expect(secretReads).toEqual([WEBHOOK_SECRET_KEY]);
    expect(result).toMatchObject({ action: 'execute', output: { status_code: 200 } });
    expect(logs[0]).toMatchObject({ level: 'info', message: 'Webhook delivery (unsigned: the account has no WEBHOOK_SECRET secret)', data: { signed: false } });
  });

  it('signs with the secret the node names, and fails when that secret does not exist', async () => {
    const partner = 'partner-shared-secret';
    const http = new FakeHttp(() => ({ status: 200, headers: {}, body: '', truncated: false, url: 'https://hooks.example/in' }));
    const { ctx, secretReads } = context({ secrets: { PARTNER_SECRET: partner } });
    await runAction(request('webhook', { method: 'POST', url: 'https://hooks.example/in', signing_secret: 'PARTNER_SECRET' }), ctx, deps(http));
    const sent = http.requests[0]!;
    expect(secretReads).toEqual(['PARTNER_SECRET']);
    expect(verifyWebhook({ headers: sent.headers, body: sent.body ?? '', secret: partner, now: NOW.getTime() / 1000 })).toEqual({ ok: true });
    const error = await failure(runAction(request('webhook', { method: 'POST', url: 'https://hooks.example/in', signing_secret: 'MISSING' }), context({ secrets: {} }).ctx, deps(new FakeHttp())));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining('MISSING, which does not exist') });
  });

  it('an unusable WEBHOOK_SECRET fails non-retryably without quoting it', async () => {
    const error = await failure(runAction(request('webhook', { method: 'POST', url: 'https://hooks.example/in' }), context({ secrets: { WEBHOOK_SECRET: 'pw' } }).ctx, deps()));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining('WEBHOOK_SECRET is not usable') });
    expect(error.message).not.toContain('pw');
  });

  it('a non-2xx response fails like http.request', async () => {
    const error = await failure(runAction(request('webhook', { method: 'POST', url: 'https://hooks.example/in' }), context().ctx, deps(new FakeHttp(() => json(502, {})))));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.retryable, message: 'HTTP request failed with status 502', details: { status_code: 502 } });
  });
});

describe('transform', () => {
  it('evaluates over params.input with templates resolved', async () => {
    const { result } = await runAction(
      request('transform', { expression: '{"total": $sum(items.price), "who": who}', input: { items: '{{steps.cart.output.items}}', who: '{{input.user.name}}' } }),
      context({ steps: { cart: { status: 'completed', output: { items: [{ price: 2 }, { price: 3.5 }] } } } }).ctx,
      deps(),
    );
    expect(result).toEqual({ action: 'execute', output: { total: 5.5, who: 'Ada' } });
  });

  it('without input, $ is {input, steps} with only the referenced steps loaded', async () => {
    const { ctx, stepReads } = context({
      steps: {
        fetch: { status: 'completed', output: { body: { n: 2 } } },
        'load-more': { status: 'completed', output: { n: 3 } },
        unused: { status: 'completed', output: 1 },
      },
    });
    const { result } = await runAction(
      request('transform', { expression: '{"sum": steps.fetch.output.body.n + steps.`load-more`.output.n, "user": input.user.id, "status": steps.fetch.status, "ghost": steps.ghost}' }),
      ctx,
      deps(),
    );
    expect(result).toEqual({ action: 'execute', output: { sum: 5, user: 42, status: 'completed' } });
    expect(stepReads.toSorted()).toEqual(['fetch', 'ghost', 'load-more']);
  });

  it('sees item and index inside a map', async () => {
    const { result } = await runAction(
      request('transform', { expression: 'item.id & "#" & $string(index)' }, { map: { node_id: 'm', item: { id: 'o2' }, index: 1, key: '1' } }),
      context().ctx,
      deps(),
    );
    expect(result).toMatchObject({ output: 'o2#1' });
  });

  it('returns plain JSON: sequences as arrays, nothing as null', async () => {
    const many = await runAction(request('transform', { expression: 'input.orders.id' }), context().ctx, deps());
    expect(many.result).toMatchObject({ output: ['o1', 'o2'] });
    expect(Object.keys((many.result as { output: object }).output)).toEqual(['0', '1']);
    const nothing = await runAction(request('transform', { expression: 'input.missing' }), context().ctx, deps());
    expect(nothing.result).toEqual({ action: 'execute', output: null });
  });

  it('does not resolve templates inside the expression', async () => {
    const { result } = await runAction(request('transform', { expression: '"{{secrets.API_KEY}}"' }), context().ctx, deps());
    expect(result).toMatchObject({ output: '{{secrets.API_KEY}}' });
  });

  it('reports records from the output', async () => {
    const { result } = await runAction(request('transform', { expression: '{"records_processed": 10, "records_failed": 0}' }), context().ctx, deps());
    expect(result).toMatchObject({ records: { processed: 10, failed: 0 } });
  });

  it.each([
    ['$error("custom failure")', /transform expression failed: custom failure/],
    ['1 + "a"', /transform expression failed: .*must evaluate to a number \(T2002 at character \d+\)/],
    ['(', /not a valid JSONata expression/],
    ['($f := function($x){ 1 + $f($x) }; $f(1))', /transform expression failed: Stack overflow.*\(D1011/],
    ['($f := function($x){ $f($x) }; $f(1))', /transform expression timed out: it did not finish within 200 ms and was stopped/],
    ['$match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+b/)', /transform expression timed out: it did not finish within 200 ms and was stopped/],
  ])('%s is a non-retryable failure', async (expression, message) => {
    const error = await failure(runAction(request('transform', { expression }), context().ctx, deps(undefined, undefined, { expressionTimeoutMs: 200 })));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringMatching(message) });
  });
});

describe('lambda', () => {
  const arn = 'arn:aws:lambda:us-east-1:111122223333:function:enrich';

  it('invokes with the resolved payload and returns the result', async () => {
    const calls: unknown[][] = [];
    const { ctx, logs } = context();
    const { result } = await runAction(
      request('lambda', { function_arn: arn, payload: { id: '{{input.user.id}}', key: '{{secrets.API_KEY}}' } }),
      ctx,
      deps(undefined, {
        invoke: async (...args) => {
          calls.push(args);
          return { enriched: true, echoed: API_KEY, records_processed: 4 };
        },
      }),
    );
    expect(calls).toEqual([[arn, { id: 42, key: API_KEY }, ctx.signal]]);
    expect(result).toEqual({ action: 'execute', output: { enriched: true, echoed: '***', records_processed: 4 }, records: { processed: 4, failed: 0 } });
    expect(logs.map((l) => l.message)).toEqual(['Lambda invoke', 'Lambda invoke successful']);
  });

  it('sends {} without a payload', async () => {
    const payloads: unknown[] = [];
    await runAction(request('lambda', { function_arn: arn }), context().ctx, deps(undefined, { invoke: async (_a, p) => payloads.push(p) }));
    expect(payloads).toEqual([{}]);
  });

  it('passes the invoker failure through', async () => {
    const error = await failure(
      runAction(request('lambda', { function_arn: arn }), context().ctx, deps(undefined, { invoke: async () => Promise.reject(nonRetryable('Lambda function failed: Error: bad')) })),
    );
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'Lambda function failed: Error: bad' });
  });
});

describe('pass', () => {
  it('outputs the resolved result', async () => {
    const { result } = await runAction(request('pass', { result: { user: '{{input.user}}', note: 'id {{input.user.id}}' } }), context().ctx, deps());
    expect(result).toEqual({ action: 'execute', output: { user: { id: 42, name: 'Ada' }, note: 'id 42' } });
  });

  it('outputs null without a result', async () => {
    const { result } = await runAction(request('pass', {}), context().ctx, deps());
    expect(result).toEqual({ action: 'execute', output: null });
  });
});

describe('choose', () => {
  const choices = [
    { when: 'input.amount > 1000', next: 'review' },
    { when: 'steps.check.output.flagged', next: 'block' },
    { when: 'steps.check.status = "failed"', next: 'retry' },
  ];

  it.each([
    [{ amount: 5000 }, { status: 'completed', output: { flagged: true } }, 'review'],
    [{ amount: 10 }, { status: 'completed', output: { flagged: true } }, 'block'],
    [{ amount: 10 }, { status: 'failed', output: null }, 'retry'],
    [{ amount: 10 }, { status: 'completed', output: { flagged: false } }, 'fallback'],
  ])('input %j and step %j → %s', async (input, check, next) => {
    const { result } = await runAction(action('choose', 'choice', { choices, default: 'fallback' }), context({ input, steps: { check } }).ctx, deps());
    expect(result).toEqual({ action: 'choose', next });
  });

  it('answers null when nothing matches and there is no default', async () => {
    const { result } = await runAction(action('choose', 'choice', { choices: [{ when: 'false', next: 'a' }] }), context().ctx, deps());
    expect(result).toEqual({ action: 'choose', next: null });
  });

  it('uses JSONata truthiness', async () => {
    const pick = async (when: string) =>
      (await runAction(action('choose', 'choice', { choices: [{ when, next: 'yes' }], default: 'no' }), context({ input: { s: '', list: [], obj: {}, n: 0, full: [0, 1] } }).ctx, deps())).result;
    expect(await pick('input.s')).toEqual({ action: 'choose', next: 'no' });
    expect(await pick('input.list')).toEqual({ action: 'choose', next: 'no' });
    expect(await pick('input.obj')).toEqual({ action: 'choose', next: 'no' });
    expect(await pick('input.n')).toEqual({ action: 'choose', next: 'no' });
    expect(await pick('input.missing')).toEqual({ action: 'choose', next: 'no' });
    expect(await pick('input.full')).toEqual({ action: 'choose', next: 'yes' });
    expect(await pick('"text"')).toEqual({ action: 'choose', next: 'yes' });
  });

  it('sees item and index inside a map', async () => {
    const { result } = await runAction(
      action('choose', 'choice', { choices: [{ when: 'item.kind = "vip" and index = 3', next: 'vip' }], default: 'std' }, { map: { node_id: 'm', item: { kind: 'vip' }, index: 3, key: '3' } }),
      context().ctx,
      deps(),
    );
    expect(result).toEqual({ action: 'choose', next: 'vip' });
  });

  it('stops at the first match without evaluating later conditions', async () => {
    const { result } = await runAction(action('choose', 'choice', { choices: [{ when: 'true', next: 'first' }, { when: '$error("not evaluated")', next: 'x' }] }), context().ctx, deps());
    expect(result).toEqual({ action: 'choose', next: 'first' });
  });

  it('a failing condition is non-retryable and names the choice', async () => {
    const error = await failure(runAction(action('choose', 'choice', { choices: [{ when: 'false', next: 'a' }, { when: '$error("boom")', next: 'b' }] }), context().ctx, deps()));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining('choices[1].when failed: boom') });
  });
});

describe('resolve_items', () => {
  it('resolves a whole template', async () => {
    const { result } = await runAction(
      action('resolve_items', 'map', { items: '{{steps.list.output.rows}}' }),
      context({ steps: { list: { status: 'completed', output: { rows: [1, { a: 2 }] } } } }).ctx,
      deps(),
    );
    expect(result).toEqual({ action: 'resolve_items', items: [1, { a: 2 }] });
  });

  it('resolves templates inside a literal array', async () => {
    const { result } = await runAction(action('resolve_items', 'map', { items: ['{{input.user.id}}', 'static', { n: '{{input.user.name}}' }] }), context().ctx, deps());
    expect(result).toEqual({ action: 'resolve_items', items: [42, 'static', { n: 'Ada' }] });
  });

  it('reads a $.path from the input', async () => {
    const { result } = await runAction(action('resolve_items', 'map', { items: '$.orders' }), context().ctx, deps());
    expect(result).toEqual({ action: 'resolve_items', items: [{ id: 'o1' }, { id: 'o2' }] });
  });

  it.each([['{{input.user}}'], ['{{input.missing}}'], ['{{input.user.name}}'], ['$.user']])('%s is not an array: non-retryable', async (items) => {
    const error = await failure(runAction(action('resolve_items', 'map', { items }), context().ctx, deps()));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining('must resolve to an array') });
  });

  it('refuses more items than a run may start, before the map begins (non-retryable)', async () => {
    const rows = (n: number) => context({ steps: { list: { status: 'completed', output: { rows: Array.from({ length: n }, (_, i) => i) } } } }).ctx;
    const error = await failure(runAction(action('resolve_items', 'map', { items: '{{steps.list.output.rows}}' }), rows(MAX_MAP_ITEMS_PER_RUN + 1), deps()));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: `the map has ${MAX_MAP_ITEMS_PER_RUN + 1} items; a run may start at most ${MAX_MAP_ITEMS_PER_RUN} map iterations` });
    const { result } = await runAction(action('resolve_items', 'map', { items: '{{steps.list.output.rows}}' }), rows(MAX_MAP_ITEMS_PER_RUN), deps());
    expect(result).toMatchObject({ action: 'resolve_items', items: expect.any(Array) });
  });

  it('masks secrets so they never enter the state', async () => {
    const { result } = await runAction(action('resolve_items', 'map', { items: ['{{secrets.API_KEY}}'] }), context().ctx, deps());
    expect(result).toEqual({ action: 'resolve_items', items: ['***'] });
  });
});

describe('resolve_wait', () => {
  const wait = (params: Record<string, unknown>, input: unknown = {}) => runAction(action('resolve_wait', 'wait', params), context({ input }).ctx, deps());

  it('seconds from a template (number or numeric string)', async () => {
    expect((await wait({ seconds: '{{input.s}}' }, { s: 45 })).result).toEqual({ action: 'resolve_wait', seconds: 45 });
    expect((await wait({ seconds: '{{input.s}}' }, { s: '60' })).result).toEqual({ action: 'resolve_wait', seconds: 60 });
    expect((await wait({ seconds: '{{input.s}}' }, { s: 0 })).result).toEqual({ action: 'resolve_wait', seconds: 0 });
  });

  it.each([[-1], [1.5], ['soon'], [null], [31_536_001]])('seconds %j is refused', async (s) => {
    const error = await failure(wait({ seconds: '{{input.s}}' }, { s }));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable });
  });

  it('duration from a template, rounded up to whole seconds', async () => {
    expect((await wait({ duration: '{{input.d}}' }, { d: '1h30m' })).result).toEqual({ action: 'resolve_wait', seconds: 5400 });
    expect((await wait({ duration: '{{input.d}}' }, { d: '500ms' })).result).toEqual({ action: 'resolve_wait', seconds: 1 });
    expect((await wait({ duration: '{{input.d}}' }, { d: 90 })).result).toEqual({ action: 'resolve_wait', seconds: 90 });
    await expect(wait({ duration: '{{input.d}}' }, { d: 'a while' })).rejects.toMatchObject({ name: RUNNER_ERRORS.nonRetryable });
    await expect(wait({ duration: '{{input.d}}' }, { d: '400d' })).rejects.toMatchObject({ message: expect.stringContaining('at most') });
  });

  it('until from a template, as an RFC 3339 UTC timestamp without milliseconds', async () => {
    expect((await wait({ until: '{{input.t}}' }, { t: '2030-01-01T00:00:00Z' })).result).toEqual({ action: 'resolve_wait', timestamp: '2030-01-01T00:00:00Z' });
    expect((await wait({ until: '{{input.t}}' }, { t: '2030-01-01T02:00:00+02:00' })).result).toEqual({ action: 'resolve_wait', timestamp: '2030-01-01T00:00:00Z' });
    expect((await wait({ until: '{{input.t}}' }, { t: '2030-01-01T00:00:00.250Z' })).result).toEqual({ action: 'resolve_wait', timestamp: '2030-01-01T00:00:01Z' });
    expect((await wait({ until: '{{input.t}}' }, { t: '2030-01-01T00:00:00.000Z' })).result).toEqual({ action: 'resolve_wait', timestamp: '2030-01-01T00:00:00Z' });
  });

  it.each([['tomorrow'], ['2030-01-01'], ['2030-01-01T00:00:00'], [1893456000]])('until %j is refused', async (t) => {
    await expect(wait({ until: '{{input.t}}' }, { t })).rejects.toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining('ISO 8601') });
  });
});

describe('fail', () => {
  it('throws with the resolved error name and cause', async () => {
    const error = await failure(
      runAction(action('fail', 'fail', { error: 'Order.{{input.kind}}', cause: 'order {{input.id}} was rejected' }), context({ input: { kind: 'Rejected', id: 'o-9' } }).ctx, deps()),
    );
    expect(error).toMatchObject({ name: 'Order.Rejected', message: 'order o-9 was rejected', retryable: false });
  });

  it('defaults the name and masks secrets in the cause', async () => {
    const error = await failure(runAction(action('fail', 'fail', { error: '{{input.none}}', cause: 'key was {{secrets.API_KEY}}' }), context().ctx, deps()));
    expect(error).toMatchObject({ name: 'WorkflowFailed', message: 'key was ***' });
  });
});

describe('unsupported work', () => {
  it('etl and fetch_data from s3 or dynamodb without the data stores fail non-retryably, saying why', async () => {
    const error = await failure(runAction(request('etl', { source_url: 's3://bucket/a.csv', target_url: 'postgres://local/t' }), context().ctx, deps()));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'etl is not available in this runner' });
  });

  it('generic and ci without a command executor (AWS runner, STEPWISE_LOCAL_JOBS=off) fail non-retryably, saying why', async () => {
    for (const [type, params] of [['generic', { command: 'echo hi' }], ['ci', { repo_url: '/tmp/r', command: 'true' }]] as const) {
      const error = await failure(runAction(request(type, params), context().ctx, deps()));
      expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining(`${type} nodes cannot run here`) });
    }
  });

  it('execute on a structural node and unknown actions are non-retryable', async () => {
    await expect(runAction(request('parallel', {}), context().ctx, deps())).rejects.toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'node type parallel has nothing to execute (action execute)' });
    await expect(runAction(action('choose', 'http.request', {}), context().ctx, deps())).rejects.toMatchObject({ name: RUNNER_ERRORS.nonRetryable });
    await expect(runAction(action('nope' as TaskRunnerAction, 'pass', {}), context().ctx, deps())).rejects.toMatchObject({ name: RUNNER_ERRORS.nonRetryable });
    await expect(runAction(request('nope' as NodeType, {}), context().ctx, deps())).rejects.toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'unknown node type "nope"' });
  });
});

describe('context failures', () => {
  it('a failing step lookup is retryable', async () => {
    const { ctx } = context();
    ctx.step = async () => Promise.reject(new Error('ProvisionedThroughputExceededException'));
    const error = await failure(runAction(request('pass', { result: '{{steps.a.output}}' }), ctx, deps()));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.retryable, message: 'ProvisionedThroughputExceededException' });
  });
});
