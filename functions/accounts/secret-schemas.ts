import * as z from 'zod';
import {
  isAcceptableSecretValue,
  MAX_SECRET_VALUE_BYTES,
  MIN_SECRET_VALUE_LENGTH,
  SECRET_KEY_PATTERN,
  SECRET_KEY_RULE,
  SECRET_VALUE_RULE,
  type SecretMetadata,
} from '../core/secrets/secret.ts';
import { IdPath } from '../shared/schemas.ts';

// Every issue a field can raise carries one fixed message: zod's defaults never quote the input,
// but a fixed text makes that a property of this file rather than of a zod version.
export const SecretKey = z
  .string({ error: SECRET_KEY_RULE })
  .regex(SECRET_KEY_PATTERN, { error: SECRET_KEY_RULE })
  .meta({ description: 'Env-var style name, referenced in workflows as {{secrets.KEY}}', example: 'API_KEY' });

const SecretValue = z
  .string({ error: SECRET_VALUE_RULE })
  .refine(isAcceptableSecretValue, { error: SECRET_VALUE_RULE })
  .meta({
    description: `Write-only: never returned, logged or echoed in errors. At least ${MIN_SECRET_VALUE_LENGTH} characters (shorter values cannot be masked), at most ${MAX_SECRET_VALUE_BYTES} bytes of UTF-8.`,
    minLength: MIN_SECRET_VALUE_LENGTH,
    writeOnly: true,
  });

export const SecretPath = IdPath.extend({ key: SecretKey });

export const CreateSecretBody = z.strictObject({ key: SecretKey, value: SecretValue }).meta({ id: 'CreateSecret' });

export const ReplaceSecretBody = z.strictObject({ value: SecretValue }).meta({ id: 'ReplaceSecret' });

export const SecretSchema = z
  .object({ key: z.string(), created_at: z.string(), updated_at: z.string() })
  .meta({ id: 'Secret', description: 'A secret’s name and timestamps; the value is write-only' });

export const SecretListSchema = z
  .object({
    secrets: z.array(SecretSchema).meta({ description: 'Sorted by key (FlowRunner field name)' }),
    data: z.array(SecretSchema).meta({ description: 'Same as secrets' }),
  })
  .meta({ id: 'SecretList' });

export function secretView(s: SecretMetadata): z.output<typeof SecretSchema> {
  return { key: s.key, created_at: s.createdAt, updated_at: s.updatedAt };
}
