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

  it('issue 13 #6 (Medium): rejects a session granted to an OAuth client that has been deleted', async () => {
    const granted = principal({ authMethod: 'oauth_user' });
    const clients = { exists: async () => false, refusal: async () => undefined };
    await expect(new Authenticator(tokens(granted), store(session({ clientId: 'acct.cli_gone' })), keys, clients).verifyAccessToken('t')).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining('deleted'),
    });
    // The user's own session has no client and is unaffected.
    expect(await new Authenticator(tokens(), store(session()), keys, clients).verifyAccessToken('t')).toEqual(p);
  });

  it('issue 13 #5 (High): rejects a client token its client standing refuses', async () => {
    const client = principal({ authMethod: 'oauth_client', userId: undefined, role: 'admin' });
    const clients = { exists: async () => true, refusal: async () => 'The OAuth client’s owner no longer holds the role this token was issued under' };
    await expect(new Authenticator(tokens(client), store(undefined), keys, clients).verifyAccessToken('t')).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
