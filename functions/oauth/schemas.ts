import * as z from 'zod';
import { SCOPES } from '../../lib/definitions/routes.ts';
import { GRANT_TYPES, type OAuthClient } from '../core/oauth/client.ts';

/**
 * Token requests arrive form-encoded or as JSON, and RFC 6749 wants its own error codes for bad
 * ones, so the body is only shaped here; the service validates each grant's parameters.
 */
export const TokenBody = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .meta({ id: 'TokenRequest', description: 'grant_type plus the grant’s parameters (RFC 6749 / RFC 7523), form-encoded or JSON' });

export const TokenResponseSchema = z
  .object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), scope: z.string(), refresh_token: z.string().optional() })
  .meta({ id: 'TokenResponse' });

const AuthorizeFields = {
  response_type: z.literal('code').meta({ description: 'Always code (the authorization-code flow)' }),
  client_id: z.string().min(1).max(200).meta({ description: 'The OAuth client asking for access' }),
  redirect_uri: z.url().meta({ description: 'One of the client’s registered redirect URIs' }),
  scope: z.string().max(500).optional().meta({ description: 'Space-separated scopes (default: all of the client’s that you hold)' }),
  state: z.string().max(500).optional().meta({ description: 'Returned unchanged with the code' }),
  code_challenge: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'code_challenge must be a base64url SHA-256 (43 characters)')
    .optional()
    .meta({ description: 'PKCE S256 challenge. Optional: without it the code is redeemed with client_secret and no code_verifier' }),
  code_challenge_method: z.literal('S256', { error: 'code_challenge_method must be S256' }).optional().meta({ description: 'S256 (the only method; the default when code_challenge is given)' }),
};

export const AuthorizeBody = z.strictObject(AuthorizeFields).meta({ id: 'AuthorizeRequest' });
export const AuthorizeQuery = z.object(AuthorizeFields);

export const AuthorizeResponse = z.object({ code: z.string(), redirect_to: z.string(), state: z.string().optional() }).meta({ id: 'AuthorizeResponse' });

export const CreateClientBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    redirect_uris: z.array(z.url()).max(10).default([]),
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
    grant_types: z.array(z.enum(GRANT_TYPES)).min(1).default(['client_credentials']),
    public_jwk: z
      .looseObject({ kty: z.literal('RSA'), n: z.string(), e: z.string() })
      .refine((k) => !('d' in k), { message: 'public_jwk must be a public key (no private "d")' })
      .optional(),
  })
  .meta({ id: 'CreateOAuthClient' });

export const ClientSchema = z
  .object({
    client_id: z.string(),
    id: z.string(),
    name: z.string(),
    redirect_uris: z.array(z.string()),
    scopes: z.array(z.string()),
    grant_types: z.array(z.string()),
    created_at: z.string(),
  })
  .meta({ id: 'OAuthClient' });

export const ClientListSchema = z.object({ data: z.array(ClientSchema), clients: z.array(ClientSchema) }).meta({ id: 'OAuthClientList' });

export const JwksSchema = z
  .object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string().optional(), use: z.string().optional() })) })
  .meta({ id: 'Jwks', description: 'RFC 7517 JSON Web Key Set' });

export const CreatedClientSchema = ClientSchema.extend({ client_secret: z.string().meta({ description: 'Shown only in this response' }) }).meta({ id: 'CreatedOAuthClient' });

export const clientView = (c: OAuthClient): z.output<typeof ClientSchema> => ({
  client_id: c.id,
  id: c.id,
  name: c.name,
  redirect_uris: [...c.redirectUris],
  scopes: [...c.scopes],
  grant_types: [...c.grantTypes],
  created_at: c.createdAt,
});
