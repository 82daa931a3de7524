import type { OAuthService, TokenRequest } from '../core/oauth/oauth-service.ts';
import { OAuthError } from '../core/oauth/oauth-service.ts';
import { operation, publicOperation, type Operation } from '../http/operation.ts';
import type { HttpResult } from '../http/types.ts';
import { IdPath } from '../shared/schemas.ts';
import * as z from 'zod';
import { AuthorizeBody, AuthorizeQuery, AuthorizeResponse, clientView, ClientListSchema, CreateClientBody, CreatedClientSchema, JwksSchema, TokenBody, TokenResponseSchema } from './schemas.ts';
import { ErrorSchema, OAuthErrorSchema } from '../shared/schemas.ts';

export interface OAuthDeps {
  oauth: OAuthService;
  jwks: () => Promise<unknown>;
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** RFC 6749 §2.3.1: client_secret_basic, form-urlencoded id and secret. */
function basicCredentials(header: string | undefined): { client_id: string; client_secret: string } | undefined {
  const match = /^basic\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { client_id: decodeURIComponent(decoded.slice(0, colon)), client_secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/** Token endpoint errors use RFC 6749's body, not the API's error object, so OAuth libraries understand them. */
function oauthError(error: OAuthError, requestId: string): HttpResult {
  const status = error.oauthCode === 'invalid_client' ? 401 : 400;
  return {
    status,
    body: { error: error.oauthCode, error_description: error.message, request_id: requestId },
    headers: { ...NO_STORE, ...(status === 401 ? { 'WWW-Authenticate': 'Basic realm="stepwise"' } : {}) },
  };
}

export function oauthOperations(deps: () => OAuthDeps): Record<string, Operation> {
  return {
    token: publicOperation(
      {
        body: TokenBody,
        bodyMediaTypes: ['application/x-www-form-urlencoded'],
        response: TokenResponseSchema,
        headers: ['Cache-Control'],
        responses: {
          400: { description: 'RFC 6749 §5.2 error (invalid_request, invalid_grant, unsupported_grant_type, …), or a body that is not a flat object (the API’s error shape)', schema: z.union([OAuthErrorSchema, ErrorSchema]) },
          401: { description: 'RFC 6749 §5.2 invalid_client', schema: OAuthErrorSchema, headers: ['Cache-Control', 'WWW-Authenticate'] },
        },
        description: 'Errors follow RFC 6749 §5.2: {"error": "invalid_grant", "error_description": …}.',
      },
      async ({ body, headers, requestId }) => {
        const params = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])) as TokenRequest;
        const basic = basicCredentials(headers.authorization);
        try {
          const result = await deps().oauth.token({ ...params, ...basic });
          return { status: 200, body: result, headers: NO_STORE };
        } catch (error) {
          if (error instanceof OAuthError) return oauthError(error, requestId);
          throw error;
        }
      },
    ),

    authorize: operation({ body: AuthorizeBody, response: AuthorizeResponse }, async ({ principal, body }) => {
      const { code, redirectTo } = await deps().oauth.authorize(principal, {
        clientId: body.client_id,
        redirectUri: body.redirect_uri,
        scope: body.scope,
        state: body.state,
        codeChallenge: body.code_challenge,
        codeChallengeMethod: body.code_challenge_method,
      });
      return { status: 200, body: { code, redirect_to: redirectTo, ...(body.state !== undefined ? { state: body.state } : {}) } };
    }),

    authorizeRedirect: operation(
      { query: AuthorizeQuery, status: 302, headers: ['Location'], description: 'Redirects (302) to redirect_uri?code=…&state=…' },
      async ({ principal, query }) => {
      const { redirectTo } = await deps().oauth.authorize(principal, {
        clientId: query.client_id,
        redirectUri: query.redirect_uri,
        scope: query.scope,
        state: query.state,
        codeChallenge: query.code_challenge,
        codeChallengeMethod: query.code_challenge_method,
      });
      return { status: 302, headers: { Location: redirectTo } };
      },
    ),

    listClients: operation({ response: ClientListSchema }, async ({ principal }) => {
      const clients = (await deps().oauth.listClients(principal)).map(clientView);
      return { status: 200, body: { data: clients, clients } };
    }),

    createClient: operation({ body: CreateClientBody, response: CreatedClientSchema, status: 201 }, async ({ principal, body }) => {
      const { client, secret } = await deps().oauth.registerClient(principal, {
        name: body.name,
        redirectUris: body.redirect_uris,
        scopes: body.scopes,
        grantTypes: body.grant_types,
        publicJwk: body.public_jwk,
      });
      return { status: 201, body: { ...clientView(client), client_secret: secret } };
    }),

    deleteClient: operation({ params: IdPath.extend({ id: IdPath.shape.id.max(200) }), status: 204 }, async ({ principal, params }) => {
      await deps().oauth.deleteClient(principal, params.id);
      return { status: 204 };
    }),

    jwks: publicOperation({ response: JwksSchema, headers: ['Cache-Control'], description: 'RFC 7517 JSON Web Key Set' }, async () => ({
      status: 200,
      body: await deps().jwks(),
      headers: { 'Cache-Control': 'public, max-age=300' },
    })),
  };
}
