import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com/) symmetric signatures: HMAC-SHA256 over
 * `${id}.${timestamp}.${body}`, sent as `webhook-signature: v1,<base64>`. The key is the secret's
 * base64-decoded bytes when it is `whsec_` + base64 (what Standard Webhooks libraries expect), and
 * otherwise the secret's own UTF-8 bytes (the seeds' `webhook_secret`, `whsec_your_webhook_secret`),
 * so every documented secret works and a receiver knows exactly which key to use (docs/api.md#secrets).
 */

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** At least this much key material either way: shorter secrets are refused rather than silently weak. */
export const MIN_WEBHOOK_KEY_BYTES = 8;
/** Standard Webhooks' upper bound for decoded keys; a text secret may be up to MAX_WEBHOOK_SECRET_CHARS. */
export const MAX_WEBHOOK_KEY_BYTES = 64;
export const MAX_WEBHOOK_SECRET_CHARS = 256;
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

export class InvalidWebhookSecret extends Error {
  constructor() {
    // Never quotes the secret: the message reaches logs and node errors.
    super(
      `a webhook secret must be ${MIN_WEBHOOK_KEY_BYTES} to ${MAX_WEBHOOK_SECRET_CHARS} characters, or "${WEBHOOK_SECRET_PREFIX}" followed by base64 of ${MIN_WEBHOOK_KEY_BYTES} to ${MAX_WEBHOOK_KEY_BYTES} bytes`,
    );
    this.name = 'InvalidWebhookSecret';
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The HMAC key of a secret. Strict base64 parsing decides the form: Buffer.from(…, 'base64') skips
 * characters it does not know, so a lenient decode would turn `whsec_your_webhook_secret` into a
 * key that no receiver could guess; such a secret is text and keys the HMAC with its UTF-8 bytes.
 */
export function webhookKey(secret: string): Buffer {
  if (secret.length > MAX_WEBHOOK_SECRET_CHARS) throw new InvalidWebhookSecret();
  const text = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : undefined;
  const key = text !== undefined && text.length > 0 && BASE64.test(text) ? Buffer.from(text, 'base64') : Buffer.from(secret, 'utf8');
  if (key.length < MIN_WEBHOOK_KEY_BYTES || (text !== undefined && BASE64.test(text) && key.length > MAX_WEBHOOK_KEY_BYTES)) throw new InvalidWebhookSecret();
  return key;
}

const sign = (key: Buffer, id: string, timestamp: number, body: string) =>
  createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');

export function signWebhook(message: { id: string; timestamp: number; body: string; secret: string }): WebhookHeaders {
  const timestamp = Math.floor(message.timestamp);
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${sign(webhookKey(message.secret), message.id, timestamp, message.body)}`,
  };
}

export type WebhookVerification =
  | { ok: true }
  | { ok: false; reason: 'missing_headers' | 'invalid_timestamp' | 'timestamp_out_of_tolerance' | 'no_matching_signature' };

/**
 * Checks a delivery the way a receiver should: the timestamp must be within the tolerance (either side, to
 * stop replays), and one of the space-separated `v1,` signatures must match in constant time.
 */
export function verifyWebhook(message: {
  headers: Record<string, string | undefined>;
  body: string;
  secret: string;
  /** Seconds since the epoch; defaults to the system time. */
  now?: number;
  toleranceSeconds?: number;
}): WebhookVerification {
  const header = (name: string) => Object.entries(message.headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const id = header('webhook-id');
  const timestampText = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestampText || !signatures) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,15}$/.test(timestampText)) return { ok: false, reason: 'invalid_timestamp' };
  const timestamp = Number(timestampText);
  if (Math.abs((message.now ?? Date.now() / 1000) - timestamp) > (message.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: 'timestamp_out_of_tolerance' };
  }
  const expected = Buffer.from(sign(webhookKey(message.secret), id, timestamp, message.body), 'base64');
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no_matching_signature' };
}
