import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { unauthorized } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { rateLimitHeaders } from '../rate-limit/policy.ts';
import type { RequestRateLimiter } from '../rate-limit/rate-limiter.ts';
import type { CredentialVerifier, IdentityRepository } from './ports.ts';

/** What a request presents; `apiKey` wins when both are sent, exactly as in the HTTP pipeline. */
export interface PresentedCredentials {
  readonly apiKey?: string | undefined;
  readonly token?: string | undefined;
}

export interface AuthorizedCaller {
  readonly principal: Principal;
  /** The account's API Gateway key value (its usage identifier); absent for accounts without one yet. */
  readonly usageKey: string | undefined;
}

/** A request turned away at the gateway, charged to its address's anonymous budget. */
export interface GatewayRefusal {
  /** Over the anonymous limit: the gateway answers 429 instead of 401. */
  readonly limited: boolean;
  /** The rate-limit fields of the charge (docs/api.md#rate-limits). */
  readonly headers: Record<string, string>;
}

export interface GatewayAuthorizerOptions {
  /** How long a verified credential is remembered; 0 verifies every request. */
  readonly cacheSeconds: number;
  /** Bounds the memory one warm container spends on remembered callers. */
  readonly maxEntries?: number;
}

/**
 * The gateway-level check in front of every non-public route: the same verifier the HTTP
 * pipeline uses, plus the account for its usage-plan key.
 *
 * API Gateway's own authorizer cache cannot be used: with caching on, a REQUEST authorizer needs
 * identity sources and API Gateway answers 401 without calling it when any is missing, while
 * Stepwise accepts either Authorization or X-API-Key. So the authorizer runs on every request
 * (TTL 0) and remembers verified callers itself for a short while, keyed by a SHA-256 of the
 * credential so no credential is held in memory. A credential revoked within that window still
 * passes here, but not the pipeline, which verifies again and checks the session on every request.
 */
export class GatewayAuthorizer {
  private readonly cache = new Map<string, { caller: AuthorizedCaller; expiresAt: number }>();
  private readonly maxEntries: number;

  constructor(
    private readonly verifier: CredentialVerifier,
    private readonly accounts: Pick<IdentityRepository, 'getAccount'>,
    private readonly clock: Clock,
    private readonly options: GatewayAuthorizerOptions,
    /** Charges refused requests to their address; absent, refusals are not counted. */
    private readonly limiter?: RequestRateLimiter,
  ) {
    this.maxEntries = options.maxEntries ?? 1000;
  }

  /**
   * A missing or failed credential never reaches a function, so the gateway charges it to the
   * source address at the anonymous limit, exactly as the pipeline charges failures it sees: a
   * flood of bad keys gets 401s up to the anonymous budget and 429s after it. The counter store
   * failing lets the refusal through uncounted (fail open, as the pipeline does).
   */
  async refuse(sourceIp: string): Promise<GatewayRefusal> {
    if (!this.limiter) return { limited: false, headers: {} };
    const outcome = await this.limiter.consume(undefined, sourceIp);
    return { limited: !outcome.decision.allowed, headers: rateLimitHeaders(outcome.decision) };
  }

  async authorize(credentials: PresentedCredentials): Promise<AuthorizedCaller> {
    const credential = credentials.apiKey ? { kind: 'api_key', value: credentials.apiKey } : credentials.token ? { kind: 'token', value: credentials.token } : undefined;
    if (!credential) throw unauthorized('Missing credentials: send Authorization: Bearer <token> or X-API-Key');
    const key = createHash('sha256').update(`${credential.kind}\n${credential.value}`).digest('base64url');
    const now = this.clock.now().getTime();
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > now) return hit.caller;
    if (hit) this.cache.delete(key);

    const principal = credential.kind === 'api_key' ? await this.verifier.verifyApiKey(credential.value) : await this.verifier.verifyAccessToken(credential.value);
    const account = await this.accounts.getAccount(principal.accountId);
    if (!account) throw unauthorized('The account no longer exists');
    // The plan is the account's current one: a token minted before a plan change still carries the old.
    const caller: AuthorizedCaller = { principal: { ...principal, plan: account.plan }, usageKey: account.gatewayKeyValue };
    this.remember(key, caller, now);
    return caller;
  }

  private remember(key: string, caller: AuthorizedCaller, now: number): void {
    if (this.options.cacheSeconds <= 0) return;
    // Map keeps insertion order: the first key is the oldest entry.
    while (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { caller, expiresAt: now + this.options.cacheSeconds * 1000 });
  }
}
