import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { PublicKeySet, SigningKeyFile, SigningKeySource } from '../tokens/signing-keys.ts';

/** Keys rotate rarely; a warm Lambda re-reads them at most this often (and on an unknown kid). */
const CACHE_MS = 5 * 60 * 1000;

interface Cached<T> {
  value: Promise<T>;
  at: number;
}

/**
 * Signing keys in Secrets Manager: the private key secret is readable only by functions that
 * issue credentials; every API function can read the public JWKS secret.
 */
export class SecretsManagerSigningKeys implements SigningKeySource {
  private privateCache: Cached<SigningKeyFile> | undefined;
  private publicCache: Cached<PublicKeySet> | undefined;

  private clientPromise: Promise<SecretsManagerClient> | undefined;

  /**
   * `client` is a factory so functions that never verify a credential (health, docs) never load
   * the Secrets Manager SDK at all: it costs ~100 ms of cold start.
   */
  constructor(
    private readonly client: () => Promise<SecretsManagerClient>,
    private readonly jwksSecretArn: string,
    private readonly signingSecretArn: string | undefined,
  ) {}

  async signingKey() {
    if (!this.signingSecretArn) throw new Error('SIGNING_KEY_SECRET_ARN is not configured for this function');
    const arn = this.signingSecretArn;
    this.privateCache = this.fresh(this.privateCache, false, () => this.readJson<SigningKeyFile>(arn));
    const [newest] = (await this.privateCache.value).keys;
    if (!newest) throw new Error('The signing key secret holds no key yet');
    return { kid: newest.kid, privateJwk: newest.privateJwk };
  }

  async publicKeys(refresh = false): Promise<PublicKeySet> {
    this.publicCache = this.fresh(this.publicCache, refresh, () => this.readJson<PublicKeySet>(this.jwksSecretArn));
    return this.publicCache.value;
  }

  private fresh<T>(cached: Cached<T> | undefined, refresh: boolean, load: () => Promise<T>): Cached<T> {
    const now = Date.now();
    if (cached && !refresh && now - cached.at < CACHE_MS) return cached;
    const value = load();
    // A failed read must not poison the cache for the next request.
    value.catch(() => {
      if (this.publicCache?.value === value) this.publicCache = undefined;
      if (this.privateCache?.value === (value as unknown)) this.privateCache = undefined;
    });
    return { value, at: now };
  }

  private async readJson<T>(secretId: string): Promise<T> {
    this.clientPromise ??= this.client();
    const [client, { GetSecretValueCommand }] = await Promise.all([this.clientPromise, import('@aws-sdk/client-secrets-manager')]);
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!out.SecretString) throw new Error(`Secret ${secretId} has no string value`);
    return JSON.parse(out.SecretString) as T;
  }
}
