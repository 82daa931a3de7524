import { createConfig, lintFromString } from '@redocly/openapi-core';
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
    for (const route of ROUTES) {
      const op = res.body.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op.security).toEqual(route.scope ? [{ bearer: [route.scope] }, { apiKey: [route.scope] }] : []);
      // Routes that honour Idempotency-Key document it; the others do not invite it.
      const headers = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name);
      expect(headers, `${route.method} ${route.path}`).toEqual(route.idempotency ? ['Idempotency-Key'] : []);
    }
    expect(res.body.components.schemas.Task.properties).toHaveProperty('task_id');
    expect(res.body.paths['/api/v1/tasks'].post.requestBody.content['application/json'].schema).toBeDefined();

    const config = await createConfig({ extends: ['recommended'], rules: { 'info-license': 'off', 'no-server-example.com': 'off' } });
    const problems = await lintFromString({ source: res.text, absoluteRef: 'openapi.json', config });
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.ruleId}: ${p.message} @ ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('serves an HTML reference', async () => {
    const res = await fetch(`${api().baseUrl}/api/v1/docs`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('/api/v1/tasks/{id}');
  });
});
