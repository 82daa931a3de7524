import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { unauthorized } from '../../../../functions/core/errors.ts';
import { ROLE_SCOPES } from '../../../../functions/core/principal.ts';
import { createJsonLogger as createLogger } from '../../../../functions/adapters/logging/json-logger.ts';
import { operation } from '../../../../functions/http/operation.ts';
import { httpHandler } from '../../../../functions/http/pipeline.ts';
import { principal } from '../../../support/fakes.ts';
import { proxyEvent } from '../../../support/proxy-event.ts';

const credentials: Record<string, ReturnType<typeof principal>> = {
  session: principal({ role: 'admin', scopes: ROLE_SCOPES.admin }),
  narrowedAdminKey: principal({ role: 'admin', scopes: ['tasks:read'], authMethod: 'api_key' }),
  memberKey: principal({ role: 'member', scopes: ROLE_SCOPES.member, authMethod: 'api_key' }),
  memberKeyWithoutWrites: principal({ role: 'member', scopes: ['tasks:read', 'workflows:read'], authMethod: 'api_key' }),
};
const verifier = {
  verifyApiKey: async (key: string) => credentials[key] ?? Promise.reject(unauthorized('bad key')),
  verifyAccessToken: async (token: string) => credentials[token] ?? Promise.reject(unauthorized('bad token')),
};
const ok = operation({}, async () => ({ status: 200, body: { ok: true } }));
const handler = httpHandler('api-keys', { listApiKeys: ok, createApiKey: ok, deleteApiKey: ok }, { verifier: () => verifier, logger: createLogger('error', () => undefined) });
const call = (method: string, path: string, token: string) => handler(proxyEvent(method, path, { headers: { Authorization: `Bearer ${token}` }, body: method === 'POST' ? '{}' : undefined }), {} as Context);

describe('authenticate: routes that write the caller’s own credentials (issue 13 #1, High)', () => {
  it.each([
    ['POST', '/api/v1/api-keys'],
    ['DELETE', '/api/v1/api-keys/{id}'],
  ])('%s %s refuses a credential narrowed below its role with 403', async (method, path) => {
    for (const narrowed of ['narrowedAdminKey', 'memberKeyWithoutWrites']) {
      const res = await call(method, path, narrowed);
      expect(res.statusCode, narrowed).toBe(403);
      expect(JSON.parse(res.body).error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('every scope of its role') });
    }
    for (const full of ['session', 'memberKey']) expect((await call(method, path, full)).statusCode, full).toBe(200);
  });

  it('reads stay open to narrowed credentials', async () => {
    expect((await call('GET', '/api/v1/api-keys', 'narrowedAdminKey')).statusCode).toBe(200);
  });
});
