import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../../../functions/core/auth/authenticator.ts';
import type { AccessTokenVerifier, SessionStore } from '../../../../functions/core/auth/ports.ts';
import type { Session } from '../../../../functions/core/auth/session.ts';
import { principal } from '../../../support/fakes.ts';

const p = principal();
const session = (over: Partial<Session> = {}): Session => ({
  id: p.credentialId, accountId: p.accountId, userId: p.userId!, status: 'active', refreshHash: 'h', usedHashes: [],
  createdAt: 't', expiresAt: 't', ...over,
});
const tokens = (result = p): AccessTokenVerifier => ({ verifyAccessToken: async () => result });
const store = (s: Session | undefined) => ({ get: async () => s }) as unknown as SessionStore;
const keys = { verify: async () => principal({ authMethod: 'api_key' }) };

describe('Authenticator', () => {
  it('accepts a session token whose session is active', async () => {
    expect(await new Authenticator(tokens(), store(session()), keys).verifyAccessToken('t')).toEqual(p);
  });

  it.each([
    ['revoked', session({ status: 'revoked' })],
    ['missing', undefined],
    ['for another user', session({ userId: 'usr_other' })],
  ])('rejects a token whose session is %s', async (_name, s) => {
    await expect(new Authenticator(tokens(), store(s), keys).verifyAccessToken('t')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('does not look up sessions for non-session credentials', async () => {
    const client = principal({ authMethod: 'oauth_client', userId: undefined });
    expect(await new Authenticator(tokens(client), store(undefined), keys).verifyAccessToken('t')).toEqual(client);
  });

  it('delegates API keys to the key service', async () => {
    expect((await new Authenticator(tokens(), store(undefined), keys).verifyApiKey('sk_x')).authMethod).toBe('api_key');
  });
});
