import { ApiKeyService } from '../core/api-keys/api-key-service.ts';
import { AccountService } from '../core/auth/account-service.ts';
import { AuthService, roleOf } from '../core/auth/auth-service.ts';
import { Authenticator } from '../core/auth/authenticator.ts';
import { GatewayAuthorizer } from '../core/auth/gateway-authorizer.ts';
import type { CredentialVerifier } from '../core/auth/ports.ts';
import { UserService } from '../core/auth/user-service.ts';
import { BearerAssertionVerifier } from '../core/oauth/assertions.ts';
import { ClientStanding } from '../core/oauth/client-standing.ts';
import { OAuthService } from '../core/oauth/oauth-service.ts';
import { RateLimiter } from '../core/rate-limit/rate-limiter.ts';
import { AccountMachines } from '../adapters/aws/account-machines.ts';
import { ScryptPasswordHasher } from '../adapters/crypto/scrypt-password-hasher.ts';
import { DynamoApiKeyRepository } from '../adapters/dynamodb/api-key-repository.ts';
import { DynamoIdempotencyStore } from '../adapters/dynamodb/idempotency-store.ts';
import { DynamoIdentityRepository } from '../adapters/dynamodb/identity-repository.ts';
import { DynamoLoginFailures } from '../adapters/dynamodb/login-failures.ts';
import { DynamoAssertionReplays, DynamoAuthorizationCodeStore, DynamoOAuthClientRepository } from '../adapters/dynamodb/oauth-repository.ts';
import { DynamoRateLimiter } from '../adapters/dynamodb/rate-limiter.ts';
import { DynamoSessionStore } from '../adapters/dynamodb/session-store.ts';
import { JoseAssertionVerifier } from '../adapters/tokens/jwt-assertion-verifier.ts';
import { JwtTokenService } from '../adapters/tokens/jwt-token-service.ts';
import type { PipelineOptions } from '../http/pipeline.ts';
import { once, onFirstRead, slice } from './stepwise.ts';

/** OAuth's service and the public keys the JWKS route serves (functions/oauth). */
export interface OAuthParts {
  readonly oauth: OAuthService;
  readonly jwks: () => Promise<unknown>;
}

/**
 * Who is calling, and the accounts, users, keys and clients behind it: what every API function's
 * pipeline authenticates with, and the services of the auth, users, accounts, api-keys and oauth
 * resources. A slice (functions/root/stepwise.ts), so the functions that authenticate nobody (the
 * task runner, the event stream, the dispatchers) bundle none of it; each member is built on
 * first use, once per instance.
 */
export interface Identity {
  readonly tokens: JwtTokenService;
  /** Token signature plus session state: what the pipeline authenticates with. */
  readonly verifier: CredentialVerifier;
  /** The API Gateway REQUEST authorizer's logic (functions/authorizer), over a read-only verifier. */
  readonly gatewayAuthorizer: GatewayAuthorizer;
  readonly auth: AuthService;
  readonly apiKeys: ApiKeyService;
  readonly users: UserService;
  readonly accounts: AccountService;
  readonly oauth: OAuthParts;
  /** Per-credential / per-address request counters; one per instance, so refusals are remembered across requests. */
  readonly rateLimiter: RateLimiter;
}

export const identityOf = slice((stepwise): Identity => {
  const { config, platform, clock } = stepwise;
  const db = () => stepwise.db;
  const table = () => stepwise.table;
  const tokens = once(() => new JwtTokenService(stepwise.signingKeys, { issuer: config.jwtIssuer, audience: config.jwtAudience }));
  const sessions = once(() => new DynamoSessionStore(db(), table()));
  const identities = once(() => new DynamoIdentityRepository(db(), table()));
  const apiKeyRepository = once(() => new DynamoApiKeyRepository(db(), table()));
  const apiKeys = once(() => new ApiKeyService(apiKeyRepository(), identities(), clock));
  const hasher = once(() => new ScryptPasswordHasher());
  const oauthClients = once(() => new DynamoOAuthClientRepository(db(), table()));
  const clientStanding = once(() => new ClientStanding(oauthClients(), identities(), (user) => roleOf(user, config.platformAdmins)));
  // A client-signed assertion names this API (its audience, or its own address) or its token endpoint.
  const assertionAudiences = [
    config.jwtAudience,
    ...(config.PUBLIC_BASE_URL ? [config.PUBLIC_BASE_URL, `${config.PUBLIC_BASE_URL}/api/v1`, `${config.PUBLIC_BASE_URL}/oauth/token`, `${config.PUBLIC_BASE_URL}/api/v1/oauth/token`] : []),
  ];
  const replays = once(() => new DynamoAssertionReplays(db(), table()));
  // CloudFlow's client-signed JWTs as Bearer (docs/api.md#credentials); the gateway authorizer may only
  // read, so only the functions behind it record a token's jti.
  const bearerAssertions = (replayStore: DynamoAssertionReplays | undefined) =>
    new BearerAssertionVerifier({ clients: oauthClients(), identities: identities(), standing: clientStanding(), assertions: new JoseAssertionVerifier(), audiences: assertionAudiences, clock, replays: replayStore });
  const verifier = once(() => new Authenticator(tokens(), sessions(), apiKeys(), clientStanding(), bearerAssertions(replays())));
  const rateLimiter = once(() => new RateLimiter(new DynamoRateLimiter(db(), table()), config.rateLimits, clock));
  const gatewayAuthorizer = once(() => {
    // The authorizer writes nothing but the anonymous rate-limit windows of refused callers (its
    // role: point reads, and UpdateItem on RATELIMIT#ip# keys); the pipeline behind it records
    // an API key's last use, so this verifier's key service never writes.
    const readOnlyKeys = new ApiKeyService(Object.assign(Object.create(apiKeyRepository()) as DynamoApiKeyRepository, { touch: async () => undefined }), identities(), clock);
    // Client-signed Bearer JWTs are checked without recording their jti (the function behind it does).
    const readOnlyVerifier = new Authenticator(tokens(), sessions(), readOnlyKeys, clientStanding(), bearerAssertions(undefined));
    return new GatewayAuthorizer(readOnlyVerifier, identities(), clock, { cacheSeconds: config.AUTHORIZER_CACHE_SECONDS }, rateLimiter());
  });
  const auth = once(
    () =>
      new AuthService({
        identities: identities(),
        hasher: hasher(),
        platformAdmins: config.platformAdmins,
        tokens: tokens(),
        sessions: sessions(),
        failures: new DynamoLoginFailures(db(), table(), clock),
        clock,
        gatewayKeys: stepwise.gatewayKeys,
        clientExists: (accountId, clientId) => clientStanding().exists(accountId, clientId),
      }),
  );
  const oauth = once(() => ({
    oauth: new OAuthService({
      clients: oauthClients(),
      codes: new DynamoAuthorizationCodeStore(db(), table()),
      identities: identities(),
      auth: auth(),
      tokens: tokens(),
      assertions: new JoseAssertionVerifier(),
      standing: clientStanding(),
      replays: replays(),
      assertionAudiences,
      clock,
    }),
    jwks: () => stepwise.signingKeys.publicKeys(),
  }));
  const accounts = once(() => new AccountService(identities(), hasher(), [stepwise.secrets, new AccountMachines(db(), table(), (arn) => platform.deleteMachine(arn))], clock, stepwise.gatewayKeys));
  const users = once(() => new UserService(identities(), hasher(), sessions(), apiKeyRepository(), clock));

  return onFirstRead<Identity>({ tokens, verifier, gatewayAuthorizer, auth, apiKeys, users, accounts, oauth, rateLimiter });
});

/** What every resource's HTTP pipeline is built with (functions/http/pipeline.ts): the caller's credentials, rate limits and Idempotency-Key claims. */
export const pipelineOf = slice(
  (stepwise): PipelineOptions => ({
    verifier: () => identityOf(stepwise).verifier,
    corsOrigins: stepwise.config.corsOrigins,
    logger: stepwise.logger,
    rateLimiter: identityOf(stepwise).rateLimiter,
    idempotency: new DynamoIdempotencyStore(stepwise.db, stepwise.table),
  }),
);
