import { randomBytes } from 'node:crypto';
import { InvalidWebhookSecret, WEBHOOK_SECRET_PREFIX, webhookKey } from './signature.ts';

/** 256 bits, as long as the HMAC-SHA256 output, inside Standard Webhooks' 24–64 byte range for generated keys. */
const GENERATED_KEY_BYTES = 32;

export function generateWebhookSecret(bytes: (n: number) => Buffer = randomBytes): string {
  return `${WEBHOOK_SECRET_PREFIX}${bytes(GENERATED_KEY_BYTES).toString('base64')}`;
}

/** A caller-chosen secret must give a usable key (signature.ts: `whsec_` + base64, or any text of 8–256 characters). */
export function validWebhookSecret(secret: string): boolean {
  try {
    webhookKey(secret);
    return true;
  } catch (error) {
    if (error instanceof InvalidWebhookSecret) return false;
    throw error;
  }
}
