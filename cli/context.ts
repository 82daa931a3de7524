/**
 * What every command gets: the API address, a typed client with the right credential, the
 * output (JSON or text, colours only on a terminal) and the prompter. Built per command from its
 * global options, so `--api-url` and `--json` work anywhere on the line.
 *
 * Credentials, first found wins: STEPWISE_API_KEY (sent as X-API-Key), STEPWISE_TOKEN (a bearer
 * token), then the session `stepwise login` stored for this API address, which is refreshed on
 * 401 and written back to the config file.
 */
import { createStepwiseClient, Session, StepwiseApiError, unwrap, type StepwiseClient, type WatchOptions } from '../client/index.ts';
import { ConfigStore, configPath, type StoredSession } from './config.ts';
import type { Io } from './io.ts';
import { Output } from './output.ts';
import { Prompter, UsageError } from './prompt.ts';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export interface GlobalOptions {
  apiUrl?: string;
  liveUrl?: string;
  json?: boolean;
  color?: boolean;
}

export type CredentialSource = 'STEPWISE_API_KEY' | 'STEPWISE_TOKEN' | 'login';

export class Context {
  readonly apiUrl: string;
  readonly liveUrl: string | undefined;
  readonly out: Output;
  readonly prompt: Prompter;
  readonly config: ConfigStore;
  #session: Session | undefined;
  #client: StepwiseClient | undefined;

  constructor(
    readonly io: Io,
    readonly globals: GlobalOptions,
  ) {
    const url = globals.apiUrl ?? io.env.STEPWISE_API_URL ?? DEFAULT_API_URL;
    try {
      if (!/^https?:$/.test(new URL(url).protocol)) throw new Error('not http');
    } catch {
      throw new UsageError(`--api-url / STEPWISE_API_URL must be an http(s) URL, got ${JSON.stringify(url)}`);
    }
    this.apiUrl = url.replace(/\/+$/, '');
    this.liveUrl = globals.liveUrl ?? io.env.STEPWISE_LIVE_URL ?? undefined;
    this.out = new Output(io, { json: Boolean(globals.json), color: globals.color !== false });
    this.prompt = new Prompter(io);
    this.config = new ConfigStore(configPath(io.env));
  }

  /** Says how rate-limited requests are waited for (on stderr, so stdout stays parseable). */
  #retry() {
    return { onRetry: ({ delayMs }: { delayMs: number }) => this.out.note(`rate limited: retrying in ${Math.ceil(delayMs / 1000)}s`) };
  }

  /** A client without a credential (register, login). */
  anonymous(): StepwiseClient {
    return createStepwiseClient({ baseUrl: this.apiUrl, retry: this.#retry() });
  }

  get credentialSource(): CredentialSource | undefined {
    if (this.io.env.STEPWISE_API_KEY) return 'STEPWISE_API_KEY';
    if (this.io.env.STEPWISE_TOKEN) return 'STEPWISE_TOKEN';
    return this.config.session(this.apiUrl) ? 'login' : undefined;
  }

  storedSession(): StoredSession | undefined {
    return this.config.session(this.apiUrl);
  }

  /** The authenticated client; a usage error when there is no credential at all. */
  client(): StepwiseClient {
    if (this.#client) return this.#client;
    const { STEPWISE_API_KEY: apiKey, STEPWISE_TOKEN: token } = this.io.env;
    if (apiKey) return (this.#client = createStepwiseClient({ baseUrl: this.apiUrl, apiKey, retry: this.#retry() }));
    if (token) return (this.#client = createStepwiseClient({ baseUrl: this.apiUrl, token, retry: this.#retry() }));
    const stored = this.storedSession();
    if (!stored) throw new NotSignedIn(this.apiUrl);
    this.#session = new Session({
      baseUrl: this.apiUrl,
      tokens: { token: stored.token, refreshToken: stored.refresh_token, expiresAt: stored.expires_at },
      // Another stepwise process may have refreshed meanwhile: use its tokens rather than spend the refresh token twice.
      reload: () => {
        const now = this.storedSession();
        return now ? { token: now.token, refreshToken: now.refresh_token, expiresAt: now.expires_at } : undefined;
      },
      onTokens: (tokens) => {
        const current = this.storedSession() ?? stored;
        this.config.saveSession(this.apiUrl, { ...current, token: tokens.token, refresh_token: tokens.refreshToken, expires_at: tokens.expiresAt });
      },
    });
    return (this.#client = createStepwiseClient({ baseUrl: this.apiUrl, session: this.#session, retry: this.#retry() }));
  }

  /** How the live connection authenticates, for client/watch.ts. */
  watchOptions(): WatchOptions {
    this.client();
    const { STEPWISE_API_KEY: apiKey, STEPWISE_TOKEN: token } = this.io.env;
    const session = this.#session;
    return {
      baseUrl: this.apiUrl,
      liveUrl: this.liveUrl,
      headers: () => (apiKey ? { 'X-API-Key': apiKey } : token ? { Authorization: `Bearer ${token}` } : (session?.authHeaders() ?? {})),
      ...(session ? { onUnauthorized: () => session.refresh() } : {}),
    };
  }

  /** The caller's account id (the stored login knows it; otherwise GET /me). */
  async accountId(): Promise<string> {
    if (this.credentialSource === 'login') {
      const id = this.storedSession()?.account_id;
      if (id) return id;
    }
    const me = await unwrap(this.client().GET('/api/v1/me'));
    return me.account_id;
  }
}

export class NotSignedIn extends StepwiseApiError {
  constructor(apiUrl: string) {
    super(401, { code: 'unauthorized', message: `Not signed in to ${apiUrl}: run \`stepwise login\`, or set STEPWISE_TOKEN or STEPWISE_API_KEY` });
  }
}
