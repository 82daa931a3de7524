import { randomBytes } from 'node:crypto';
import { decodeWebhookSecret, InvalidWebhookSecret, WEBHOOK_SECRET_PREFIX } from './signature.ts';

/** 256 bits, as long as the HMAC-SHA256 output, inside Standard Webhooks' 24–64 byte range. */
const GENERATED_KEY_BYTES = 32;

export function generateWebhookSecret(bytes: (n: number) => Buffer = randomBytes): string {
  return `${WEBHOOK_SECRET_PREFIX}${bytes(GENERATED_KEY_BYTES).toString('base64')}`;
}

/** A caller-chosen secret must be one a Standard Webhooks library can use: `whsec_` + base64 of 24–64 bytes. */
export function validWebhookSecret(secret: string): boolean {
  try {
    const key = decodeWebhookSecret(secret);
    return key.length <= 64;
  } catch (error) {
    if (error instanceof InvalidWebhookSecret) return false;
    throw error;
  }
}
