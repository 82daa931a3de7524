import type { MiddlewareObj } from '@middy/core';
import type { CredentialVerifier } from '../../core/auth/ports.ts';
import { forbidden, unauthorized } from '../../core/errors.ts';
import { hasScope, isUnrestricted } from '../../core/principal.ts';
import { roleAtLeast, type RouteDefinition } from '../../../lib/definitions/routes.ts';
import { bearerToken } from '../headers.ts';
import type { HttpEvent, HttpResponse, PipelineState } from '../types.ts';

/**
 * Resolves the principal for routes that need one and enforces the route's scope from the route
 * table. Public routes still get a principal when a valid credential is presented.
 */
export function authenticate(
  routeOf: (event: HttpEvent) => RouteDefinition | undefined,
  verifier: () => CredentialVerifier,
): MiddlewareObj<HttpEvent, HttpResponse, Error> {
  return {
    name: 'authenticate',
    before: async (request) => {
      const state = request.internal as PipelineState;
      const route = routeOf(request.event);
      state.principal = undefined;
      if (!route || route.scope === null) return;
      // CloudFlow clients send X-API-Key; everyone else a Bearer (or bare) access token.
      const apiKey = state.headers['x-api-key'];
      const token = apiKey ? undefined : bearerToken(state.headers);
      if (!apiKey && !token) throw unauthorized('Missing credentials: send Authorization: Bearer <token> or X-API-Key');
      const principal = apiKey ? await verifier().verifyApiKey(apiKey) : await verifier().verifyAccessToken(token!);
      if (!hasScope(principal, route.scope)) {
        throw forbidden(`This operation requires the '${route.scope}' scope`);
      }
      if (route.role && !roleAtLeast(principal.role, route.role)) {
        throw forbidden(`This operation requires the ${route.role} role`);
      }
      if (route.unrestrictedCredential && !isUnrestricted(principal)) {
        throw forbidden('This operation changes identities or credentials: it needs a credential with every scope of its role (sign in, or use a key that is not narrowed)');
      }
      state.principal = principal;
    },
  };
}
