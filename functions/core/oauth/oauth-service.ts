import { createHash } from 'node:crypto';
import { SCOPES, type Scope } from '../../../lib/definitions/scopes.ts';
import type { AuthService, SessionTokens } from '../auth/auth-service.ts';
import type { AccessTokenIssuer, IdentityRepository } from '../auth/ports.ts';
import type { Clock } from '../clock.ts';
import { AppError, forbidden, notFound, validationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { hasScope, ROLE_SCOPES, type Principal } from '../principal.ts';
import { clientAccount, clientSecretMatches, hashClientSecret, newClientSecret, s256, type GrantType, type OAuthClient } from './client.ts';
import { scopesWithinRole, type ClientStanding } from './client-standing.ts';
import type { AssertionReplays, AssertionVerifier, AuthorizationCodeStore, OAuthClientRepository } from './ports.ts';

/** RFC 6749 §5.2 error codes. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
};

/** Raised by the token endpoint; answered in RFC 6749's shape rather than the API's error object. */
export class OAuthError extends AppError {
  constructor(
    readonly oauthCode: OAuthErrorCode,
    description: string,
  ) {
    super(STATUS[oauthCode] === 401 ? 'unauthorized' : 'invalid_request', description, { details: { oauth_error: oauthCode } });
  }
}

export const CODE_LIFETIME_SECONDS = 60;
export const MAX_ASSERTION_LIFETIME_SECONDS = 3600;

export interface TokenRequest {
  grant_type?: string | undefined;
  scope?: string | undefined;
  client_id?: string | undefined;
  client_secret?: string | undefined;
  code?: string | undefined;
  redirect_uri?: string | undefined;
  code_verifier?: string | undefined;
  refresh_token?: string | undefined;
  assertion?: string | undefined;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

export interface NewClient {
  name: string;
  redirectUris: string[];
  scopes: Scope[];
  grantTypes: GrantType[];
  publicJwk?: Record<string, unknown> | undefined;
}

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scope?: string | undefined;
  state?: string | undefined;
  /** Optional: every Stepwise client is confidential (it authenticates with its secret at the token endpoint). */
  codeChallenge?: string | undefined;
  codeChallengeMethod?: 'S256' | undefined;
}

function parseScopes(scope: string | undefined): Scope[] | undefined {
  if (scope === undefined || scope.trim() === '') return undefined;
  const requested = [...new Set(scope.trim().split(/\s+/))];
  const unknown = requested.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new OAuthError('invalid_scope', `Unknown scope: ${unknown.join(' ')}`);
  return requested as Scope[];
}

/** Requested scopes must all be allowed; no request means everything allowed. */
function narrow(requested: Scope[] | undefined, allowed: readonly Scope[]): Scope[] {
  if (!requested) return [...allowed];
  const excess = requested.filter((s) => !allowed.includes(s) && !allowed.includes('admin:full'));
  if (excess.length) throw new OAuthError('invalid_scope', `Scope not allowed for this client: ${excess.join(' ')}`);
  return requested;
}

/**
 * The client's scopes (narrowed to what was asked for) within what `role` allows now. An explicit
 * request that leaves nothing is an error; otherwise the token carries the scopes that remain
 * (RFC 6749 §3.3: the response's `scope` says which).
 */
function bounded(requested: Scope[] | undefined, client: OAuthClient, role: Principal['role']): Scope[] {
  if (!requested) return scopesWithinRole(client.scopes, role);
  const scopes = narrow(requested, client.scopes).filter((s) => hasScope({ scopes: ROLE_SCOPES[role] }, s));
  if (scopes.length === 0) throw new OAuthError('invalid_scope', `The client may no longer grant: ${requested.join(' ')}`);
  return scopes;
}

/**
 * OAuth 2.0 for Stepwise: client registration, the authorization-code flow with PKCE (S256),
 * client credentials, refresh tokens (the session machinery, with rotation and reuse detection),
 * and the jwt-bearer grant with client-registered RS256 keys (CloudFlow's claim rules).
 */
export class OAuthService {
  constructor(
    private readonly deps: {
      clients: OAuthClientRepository;
      codes: AuthorizationCodeStore;
      identities: IdentityRepository;
      auth: AuthService;
      tokens: AccessTokenIssuer;
      assertions: AssertionVerifier;
      /** Bounds every client by its owner's current role (functions/core/oauth/client-standing.ts). */
      standing: ClientStanding;
      /** Used jwt-bearer assertions, each accepted once until it expires. */
      replays: AssertionReplays;
      /** Audiences a jwt-bearer assertion may name: the API audience and the token endpoint URLs. */
      assertionAudiences: readonly string[];
      clock: Clock;
    },
  ) {}

  async registerClient(principal: Principal, input: NewClient): Promise<{ client: OAuthClient; secret: string }> {
    if (!principal.userId) throw forbidden('Only users can register OAuth clients');
    const excess = input.scopes.filter((s) => !hasScope(principal, s));
    if (excess.length) throw validationError('scopes', `You cannot grant scopes you do not have: ${excess.join(', ')}`);
    if (input.grantTypes.includes('authorization_code') && input.redirectUris.length === 0) {
      throw validationError('redirect_uris', 'authorization_code clients need at least one redirect URI');
    }
    if (input.grantTypes.includes('urn:ietf:params:oauth:grant-type:jwt-bearer') && !input.publicJwk) {
      throw validationError('public_jwk', 'jwt-bearer clients need a public RS256 key (JWK)');
    }
    const now = this.deps.clock.now();
    const secret = newClientSecret();
    const client: OAuthClient = {
      id: `${principal.accountId}.${newId('apiKey', now.getTime()).replace(/^key_/, 'cli_')}`,
      accountId: principal.accountId,
      name: input.name,
      secretHash: hashClientSecret(secret),
      redirectUris: input.redirectUris,
      scopes: input.scopes,
      grantTypes: input.grantTypes,
      publicJwk: input.publicJwk ?? null,
      role: principal.role,
      createdBy: principal.userId,
      createdAt: now.toISOString(),
    };
    await this.deps.clients.create(client);
    return { client, secret };
  }

  listClients(principal: Principal): Promise<OAuthClient[]> {
    return this.deps.clients.list(principal.accountId);
  }

  async deleteClient(principal: Principal, clientId: string): Promise<void> {
    if (!(await this.deps.clients.delete(principal.accountId, clientId))) throw notFound('OAuth client', clientId);
  }

  /** A logged-in user approves a client: returns a single-use code bound to the redirect URI and PKCE challenge. */
  async authorize(principal: Principal, req: AuthorizeRequest): Promise<{ code: string; redirectTo: string }> {
    if (!principal.userId || principal.authMethod !== 'password') throw forbidden('Only a signed-in user can authorize a client');
    const client = await this.deps.clients.get(principal.accountId, req.clientId);
    if (!client || !client.grantTypes.includes('authorization_code')) throw notFound('OAuth client', req.clientId);
    if (!client.redirectUris.includes(req.redirectUri)) throw validationError('redirect_uri', 'redirect_uri is not registered for this client');
    const scopes = narrow(parseScopes(req.scope), client.scopes).filter((s) => hasScope(principal, s));
    const code = newClientSecret().replace(/^cs_/, 'ac_');
    await this.deps.codes.save({
      codeHash: hashClientSecret(code),
      accountId: principal.accountId,
      userId: principal.userId,
      clientId: client.id,
      redirectUri: req.redirectUri,
      scopes,
      codeChallenge: req.codeChallenge ?? null,
      expiresAt: new Date(this.deps.clock.now().getTime() + CODE_LIFETIME_SECONDS * 1000).toISOString(),
    });
    const url = new URL(req.redirectUri);
    url.searchParams.set('code', code);
    if (req.state !== undefined) url.searchParams.set('state', req.state);
    return { code, redirectTo: url.toString() };
  }

  async token(req: TokenRequest): Promise<TokenResponse> {
    switch (req.grant_type) {
      case 'client_credentials':
        return this.clientCredentials(req);
      case 'authorization_code':
        return this.authorizationCode(req);
      case 'refresh_token':
        return this.refresh(req);
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
        return this.jwtBearer(req);
      case undefined:
        throw new OAuthError('invalid_request', 'grant_type is required');
      default:
        throw new OAuthError('unsupported_grant_type', `Unsupported grant_type: ${req.grant_type}`);
    }
  }

  private async authenticateClient(req: TokenRequest, grant: GrantType): Promise<OAuthClient> {
    const accountId = req.client_id ? clientAccount(req.client_id) : undefined;
    const client = accountId ? await this.deps.clients.get(accountId, req.client_id!) : undefined;
    if (!client || !req.client_secret || !clientSecretMatches(req.client_secret, client.secretHash)) {
      throw new OAuthError('invalid_client', 'Client authentication failed');
    }
    if (!client.grantTypes.includes(grant)) throw new OAuthError('unauthorized_client', `This client may not use ${grant}`);
    return client;
  }

  private async clientCredentials(req: TokenRequest): Promise<TokenResponse> {
    const client = await this.authenticateClient(req, 'client_credentials');
    const account = await this.deps.identities.getAccount(client.accountId);
    if (!account) throw new OAuthError('invalid_client', 'Client authentication failed');
    const role = await this.currentRole(client);
    return this.clientToken(client, account.plan, role, bounded(parseScopes(req.scope), client, role));
  }

  /** The role the client may act with now: its own, bounded by its owner's current one. */
  private async currentRole(client: OAuthClient, subjectUserId?: string): Promise<Principal['role']> {
    const verdict = await this.deps.standing.of(client, subjectUserId);
    if ('refused' in verdict) throw new OAuthError(subjectUserId ? 'invalid_grant' : 'invalid_client', verdict.refused);
    return verdict.role;
  }

  private async clientToken(client: OAuthClient, plan: Principal['plan'], role: Principal['role'], scopes: Scope[]): Promise<TokenResponse> {
    const access = await this.deps.tokens.issueAccessToken({
      accountId: client.accountId,
      userId: undefined,
      role,
      scopes,
      authMethod: 'oauth_client',
      credentialId: client.id,
      plan,
    });
    return { access_token: access.token, token_type: 'Bearer', expires_in: this.expiresIn(access.expiresAt), scope: scopes.join(' ') };
  }

  private async authorizationCode(req: TokenRequest): Promise<TokenResponse> {
    if (!req.code || !req.redirect_uri) throw new OAuthError('invalid_request', 'code and redirect_uri are required');
    const client = await this.authenticateClient(req, 'authorization_code');
    const code = await this.deps.codes.consume(hashClientSecret(req.code));
    const now = this.deps.clock.now().getTime();
    // PKCE: a code bound to a challenge needs its verifier; a code without one (a confidential client that
    // sent no code_challenge, as CloudFlow's curl does) must come without a verifier, so PKCE cannot be stripped.
    const pkceOk = code?.codeChallenge ? req.code_verifier !== undefined && s256(req.code_verifier) === code.codeChallenge : req.code_verifier === undefined;
    if (!code || code.clientId !== client.id || code.redirectUri !== req.redirect_uri || Date.parse(code.expiresAt) <= now || !pkceOk) {
      throw new OAuthError('invalid_grant', 'The authorization code is invalid, expired, already used, or does not match');
    }
    const [user, account] = await Promise.all([this.deps.identities.getUser(code.accountId, code.userId), this.deps.identities.getAccount(code.accountId)]);
    if (!user?.active || !account) throw new OAuthError('invalid_grant', 'The user is no longer active');
    return this.sessionResponse(await this.deps.auth.startClientSession(user, account, client.id, code.scopes));
  }

  private async refresh(req: TokenRequest): Promise<TokenResponse> {
    if (!req.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required');
    try {
      const tokens = await this.deps.auth.refresh(req.refresh_token);
      return this.sessionResponse(tokens);
    } catch (error) {
      if (error instanceof AppError && error.code === 'unauthorized') throw new OAuthError('invalid_grant', error.message);
      throw error;
    }
  }

  /**
   * The client proves itself with an RS256 assertion signed by its registered key (CloudFlow's
   * claim rules: iss, sub, aud, iat, exp at most 3600 s after iat, scope). `sub` is the client
   * itself or a user of its account.
   */
  private async jwtBearer(req: TokenRequest): Promise<TokenResponse> {
    if (!req.assertion) throw new OAuthError('invalid_request', 'assertion is required');
    const iss = unverifiedIssuer(req.assertion);
    const accountId = iss ? clientAccount(iss) : undefined;
    const client = accountId ? await this.deps.clients.get(accountId, iss!) : undefined;
    if (!client?.publicJwk) throw new OAuthError('invalid_client', 'Unknown client or no registered key');
    if (!client.grantTypes.includes('urn:ietf:params:oauth:grant-type:jwt-bearer')) throw new OAuthError('unauthorized_client', 'This client may not use jwt-bearer');
    let claims;
    try {
      claims = await this.deps.assertions.verify(req.assertion, client.publicJwk, this.deps.assertionAudiences);
    } catch (error) {
      throw new OAuthError('invalid_grant', `The assertion is invalid: ${(error as Error).message}`);
    }
    if (claims.exp - claims.iat > MAX_ASSERTION_LIFETIME_SECONDS) {
      throw new OAuthError('invalid_grant', `The assertion may live at most ${MAX_ASSERTION_LIFETIME_SECONDS} s (exp − iat)`);
    }
    if (claims.iat > this.deps.clock.now().getTime() / 1000 + 60) throw new OAuthError('invalid_grant', 'The assertion is issued in the future');
    // Only a verified, well-formed assertion is remembered, so junk cannot fill the store.
    const assertionId = claims.jti ?? `sha256:${createHash('sha256').update(req.assertion).digest('base64url')}`;
    if (!(await this.deps.replays.claim(client.id, assertionId, new Date(claims.exp * 1000)))) {
      throw new OAuthError('invalid_grant', 'The assertion has already been used (jti); sign a new one for every token request');
    }
    const requested = parseScopes(claims.scope ?? req.scope);
    const account = await this.deps.identities.getAccount(client.accountId);
    if (!account) throw new OAuthError('invalid_client', 'Unknown client');
    if (claims.sub === client.id) {
      const role = await this.currentRole(client);
      return this.clientToken(client, account.plan, role, bounded(requested, client, role));
    }
    const user = await this.deps.identities.getUser(client.accountId, claims.sub);
    if (!user?.active) throw new OAuthError('invalid_grant', 'sub is neither the client nor an active user of its account');
    // The user's own rights, bounded by the client's and its owner's: a client can never lend more.
    const role = await this.currentRole(client, user.id);
    const allowed = bounded(requested, client, role);
    const access = await this.deps.tokens.issueAccessToken({
      accountId: account.id,
      userId: user.id,
      role,
      scopes: allowed,
      // No session to revoke: the grant is re-asserted for every token, and tokens live 15 minutes.
      authMethod: 'oauth_client',
      credentialId: client.id,
      plan: account.plan,
    });
    return { access_token: access.token, token_type: 'Bearer', expires_in: this.expiresIn(access.expiresAt), scope: allowed.join(' ') };
  }

  private sessionResponse(tokens: SessionTokens): TokenResponse {
    const granted = tokens.scopes;
    return {
      access_token: tokens.access.token,
      token_type: 'Bearer',
      expires_in: this.expiresIn(tokens.access.expiresAt),
      scope: granted.join(' '),
      refresh_token: tokens.refreshToken,
    };
  }

  private expiresIn(at: Date) {
    return Math.max(0, Math.round((at.getTime() - this.deps.clock.now().getTime()) / 1000));
  }
}

/** Reads `iss` before verification only to find which key to verify with. */
function unverifiedIssuer(jwt: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}
