import { describe, expect, it, vi } from 'vitest';
import { GatewayAuthorizer } from '../../../../functions/core/auth/gateway-authorizer.ts';
import type { Account } from '../../../../functions/core/auth/identity.ts';
import type { CredentialVerifier } from '../../../../functions/core/auth/ports.ts';
import { unauthorized } from '../../../../functions/core/errors.ts';
import { fixedClock, principal } from '../../../support/fakes.ts';

const ACCOUNT: Account = {
  id: 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  name: 'Acme',
  plan: 'enterprise',
  createdAt: 'x',
  updatedAt: 'x',
  version: 3,
  gatewayKeyId: 'key1',
  gatewayKeyValue: 'usage-key-value',
};

function setup(cacheSeconds = 60, maxEntries?: number) {
  const verifier: CredentialVerifier = {
    verifyAccessToken: vi.fn(async (token: string) => {
      if (!token.startsWith('good')) throw unauthorized('The token is invalid or expired');
      return principal({ credentialId: `ses-${token}`, plan: 'free' });
    }),
    verifyApiKey: vi.fn(async (key: string) => {
      if (!key.startsWith('sk_')) throw unauthorized('Invalid API key');
      return principal({ authMethod: 'api_key', credentialId: `key-${key}` });
    }),
  };
  const accounts = { getAccount: vi.fn(async (id: string) => (id === ACCOUNT.id ? ACCOUNT : undefined)) };
  const clock = fixedClock();
  const authorizer = new GatewayAuthorizer(verifier, accounts, clock, { cacheSeconds, ...(maxEntries ? { maxEntries } : {}) });
  return { verifier, accounts, clock, authorizer };
}

describe('GatewayAuthorizer', () => {
  it('verifies a token and hands back the account’s usage key and current plan', async () => {
    const { authorizer } = setup();
    const caller = await authorizer.authorize({ token: 'good-1' });
    expect(caller.usageKey).toBe('usage-key-value');
    // The token said free; the account is enterprise now, and the gateway throttles by the account.
    expect(caller.principal).toMatchObject({ accountId: ACCOUNT.id, credentialId: 'ses-good-1', plan: 'enterprise' });
  });

  it('prefers X-API-Key over Authorization, as the pipeline does', async () => {
    const { authorizer, verifier } = setup();
    const caller = await authorizer.authorize({ apiKey: 'sk_abc', token: 'good-1' });
    expect(caller.principal.authMethod).toBe('api_key');
    expect(verifier.verifyAccessToken).not.toHaveBeenCalled();
  });

  it('rejects a missing, invalid or orphaned credential as unauthorized', async () => {
    const { authorizer, accounts } = setup();
    await expect(authorizer.authorize({})).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authorizer.authorize({ token: '', apiKey: '' })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authorizer.authorize({ token: 'forged' })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authorizer.authorize({ apiKey: 'nope' })).rejects.toMatchObject({ code: 'unauthorized' });
    accounts.getAccount.mockResolvedValueOnce(undefined);
    await expect(authorizer.authorize({ token: 'good-2' })).rejects.toMatchObject({ code: 'unauthorized', message: 'The account no longer exists' });
  });

  it('lets infrastructure failures through as they are, so they are not mistaken for a bad credential', async () => {
    const { authorizer, accounts } = setup();
    accounts.getAccount.mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'));
    await expect(authorizer.authorize({ token: 'good-1' })).rejects.toThrow('ProvisionedThroughputExceededException');
  });

  it('remembers a verified credential for the configured time, then verifies again', async () => {
    const { authorizer, verifier, accounts, clock } = setup(60);
    await authorizer.authorize({ token: 'good-1' });
    await authorizer.authorize({ token: 'good-1' });
    expect(verifier.verifyAccessToken).toHaveBeenCalledTimes(1);
    expect(accounts.getAccount).toHaveBeenCalledTimes(1);
    clock.advance(60_001);
    await authorizer.authorize({ token: 'good-1' });
    expect(verifier.verifyAccessToken).toHaveBeenCalledTimes(2);
  });

  it('never remembers a rejection, and keys the cache by credential type as well as value', async () => {
    const { authorizer, verifier } = setup(60);
    await expect(authorizer.authorize({ token: 'forged' })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authorizer.authorize({ token: 'forged' })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(verifier.verifyAccessToken).toHaveBeenCalledTimes(2);
    await authorizer.authorize({ token: 'good-sk_1' });
    await expect(authorizer.authorize({ apiKey: 'good-sk_1' })).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('verifies every request when the cache is off', async () => {
    const { authorizer, verifier } = setup(0);
    await authorizer.authorize({ token: 'good-1' });
    await authorizer.authorize({ token: 'good-1' });
    expect(verifier.verifyAccessToken).toHaveBeenCalledTimes(2);
  });

  it('bounds the cache, dropping the oldest caller first', async () => {
    const { authorizer, verifier } = setup(60, 2);
    for (const t of ['good-1', 'good-2', 'good-3']) await authorizer.authorize({ token: t });
    await authorizer.authorize({ token: 'good-3' });
    await authorizer.authorize({ token: 'good-2' });
    expect(verifier.verifyAccessToken).toHaveBeenCalledTimes(3);
    await authorizer.authorize({ token: 'good-1' });
    expect(verifier.verifyAccessToken).toHaveBeenCalledTimes(4);
  });

  it('hands back no usage key for an account that has none yet', async () => {
    const { authorizer, accounts } = setup();
    accounts.getAccount.mockResolvedValueOnce({ ...ACCOUNT, gatewayKeyId: undefined, gatewayKeyValue: undefined });
    expect((await authorizer.authorize({ token: 'good-1' })).usageKey).toBeUndefined();
  });

  it('issue 13 #9 (Medium): charges a refusal to the address at the anonymous limit and says when it is over', async () => {
    const { verifier, accounts, clock } = setup();
    const consume = vi.fn(async () => ({ decision: { policy: 'anonymous' as const, limit: 20, windowSeconds: 60, allowed: true, remaining: 3, resetAt: 1767225660, resetIn: 42 } }));
    const limited = new GatewayAuthorizer(verifier, accounts, clock, { cacheSeconds: 0 }, { consume });
    expect(await limited.refuse('203.0.113.9')).toEqual({
      limited: false,
      headers: { 'X-RateLimit-Limit': '20', 'X-RateLimit-Remaining': '3', 'X-RateLimit-Reset': '1767225660', 'RateLimit-Policy': '"anonymous";q=20;w=60', RateLimit: '"anonymous";r=3;t=42' },
    });
    expect(consume).toHaveBeenCalledWith(undefined, '203.0.113.9');
    consume.mockResolvedValueOnce({ decision: { policy: 'anonymous', limit: 20, windowSeconds: 60, allowed: false, remaining: 0, resetAt: 1767225660, resetIn: 42 } });
    expect((await limited.refuse('203.0.113.9')).limited).toBe(true);
  });
});
