import { createConfig, lintFromString } from '@redocly/openapi-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lib/definitions/routes.ts';
import { api } from '../support/api-client.ts';

describe('system (end to end)', () => {
  it('reports health on both paths with a DynamoDB check', async () => {
    for (const path of ['/health', '/api/v1/health']) {
      const res = await api().get(path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'healthy', version: expect.any(String), checks: { dynamodb: { status: 'ok' } } });
      expect(Date.parse(res.body.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it('serves an OpenAPI 3.1 document that covers every route and lints clean', async () => {
    const res = await api().get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const ids = new Set<string>();
    for (const route of ROUTES) {
      const where = `${route.method} ${route.path}`;
      const op = res.body.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, where).toBeDefined();
      // Bearer, the bare token (Behflow), X-API-Key (CloudFlow) and OAuth 2.0 clients, each with the route's scope.
      expect(op.security, where).toEqual(route.scope ? ['bearer', 'bareToken', 'apiKey', 'oauth2'].map((s) => ({ [s]: [route.scope] })) : []);
      // Routes that honour Idempotency-Key document it; the others do not invite it.
      const headers = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name);
      expect(headers.includes('Idempotency-Key'), where).toBe(route.idempotency !== undefined);
      // Unique, meaningful operation ids (no login1, token1) and a description on every parameter.
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(op.operationId), `${where}: ${op.operationId}`).toBe(false);
      ids.add(op.operationId);
      for (const p of op.parameters ?? []) expect(p.description, `${where} ${p.in} ${p.name}`).toBeTruthy();
      // Every answer documents X-Request-Id; authenticated routes document 401 and 403, rate-limited ones 429.
      const success = Object.keys(op.responses).find((s) => Number(s) < 400)!;
      expect(op.responses[success].headers['X-Request-Id'], where).toBeDefined();
      expect(['401', '403'].every((s) => s in op.responses), where).toBe(route.scope !== null);
    }
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/refresh', '/oauth/token', '/api/v1/tasks']) {
      expect(Object.keys(res.body.paths[path].post.responses), path).toEqual(expect.arrayContaining(['401', '429']));
    }
    expect(res.body.paths['/oauth/authorize'].get.responses['302'].headers.Location).toBeDefined();
    // If-Match is a header parameter exactly where a stale version is refused.
    const ifMatch = (path: string, method: string) => (res.body.paths[path][method].parameters ?? []).some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'If-Match');
    expect([ifMatch('/api/v1/tasks/{id}', 'put'), ifMatch('/api/v1/workflows/{id}', 'patch'), ifMatch('/api/v1/webhooks/{id}', 'delete'), ifMatch('/api/v1/tasks/{id}', 'get')]).toEqual([true, true, true, false]);
    expect(Object.keys(res.body.paths['/oauth/token'].post.requestBody.content)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    for (const [path, method] of [['/api/v1/processes/{id}/execute', 'post'], ['/api/v1/auth/refresh', 'post']] as const) {
      expect(res.body.paths[path][method].requestBody.required, path).toBe(false);
    }
    expect(res.body.tags.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['auth', 'tasks', 'workflows', 'executions']));
    expect(Object.keys(res.body.components.securitySchemes).toSorted()).toEqual(['apiKey', 'bareToken', 'bearer', 'oauth2']);
    expect(res.body.components.schemas.Task.properties).toHaveProperty('task_id');
    expect(res.body.paths['/api/v1/tasks'].post.requestBody.content['application/json'].schema).toBeDefined();

    const config = await createConfig({ extends: ['recommended'], rules: { 'info-license': 'off', 'no-server-example.com': 'off' } });
    const problems = await lintFromString({ source: res.text, absoluteRef: 'openapi.json', config });
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.ruleId}: ${p.message} @ ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('serves an HTML reference', async () => {
    const res = await api().get('/api/v1/docs');
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('/api/v1/tasks/{id}');
  });

  it('serves Swagger UI at /docs, ReDoc at /redoc and the document at /openapi.json, with their assets from the npm packages', async () => {
    const docs = await api().get('/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.text).toContain('docs/assets/swagger-ui-bundle.js');
    const redoc = await api().get('/redoc');
    expect(redoc.text).toMatch(/<redoc spec-url="openapi.json">/);
    expect((await api().get('/openapi.json')).body).toEqual((await api().get('/api/v1/openapi.json')).body);
    const require = createRequire(import.meta.url);
    for (const [name, file] of [['swagger-ui-bundle.js', 'swagger-ui-dist/swagger-ui-bundle.js'], ['swagger-ui.css', 'swagger-ui-dist/swagger-ui.css'], ['redoc.standalone.js', 'redoc/bundles/redoc.standalone.js']]) {
      const asset = await api().get(`/docs/assets/${name}`);
      expect(asset.status, name).toBe(200);
      expect(asset.text === readFileSync(require.resolve(file!), 'utf8'), name).toBe(true);
    }
    expect((await api().get('/docs/assets/swagger-initializer.js')).text).toContain("url: 'openapi.json'");
    expect((await api().get('/docs/assets/..%2Fpackage.json')).status).toBe(400);
  });

  it('answers CORS preflight with X-Request-Id', async () => {
    const res = await fetch(`${api().baseUrl}/api/v1/tasks`, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });
});
