import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, newAccount, type Account } from './support.ts';

/** node:http, because fetch silently drops a header named __proto__. */
function raw(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Issue 13 #14 (Low): names that are Object.prototype members are data, never a 500. */
describe('issue 13 #14 (Low): query and header names like constructor and __proto__', () => {
  const names = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];
  let user: Account;
  beforeAll(async () => {
    user = await newAccount('protonames');
  });

  it.each(names)('a query parameter and a header named %s on public and authenticated routes', async (name) => {
    const base = api().baseUrl;
    const header = Object.fromEntries([[name, 'x']]);
    const health = await raw(`${base}/health?${name}=1`, header);
    expect(health.status).toBe(200);
    const tasks = await raw(`${base}/api/v1/tasks?${name}=1&${name}=2`, { ...header, authorization: `Bearer ${user.token}` });
    // An unknown query parameter is the caller's mistake (400 naming it) or ignored (200), never a crash.
    expect([200, 400]).toContain(tasks.status);
    expect(JSON.parse(tasks.body).error?.code ?? 'ok').not.toBe('internal_error');
    const anonymous = await raw(`${base}/api/v1/tasks?${name}=1`, header);
    expect(anonymous.status).toBe(401);
  });
});
