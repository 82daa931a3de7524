import { describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../../lib/definitions/routes.ts';

/**
 * Issue 13 #1 (High): the route-table audit, kept as a test. A route that writes users, API keys,
 * OAuth clients, secrets or accounts must either need `admin:full` (on top of its role) or be one
 * that writes only the caller's own identity, marked `unrestrictedCredential` so a narrowed
 * credential cannot use it. A new write route in those resources fails here until it says which.
 */
describe('route table: no read scope on an identity or credential write', () => {
  const IDENTITY_RESOURCES = new Set(['users', 'api-keys', 'oauth', 'accounts']);
  /** Writes that are not identity management: they only end or use the presenting credential, or are public by design. */
  const EXEMPT = new Set([
    'POST /oauth/token', // public: the client's own secret or assertion is the credential
    'POST /api/v1/oauth/token',
    // Approving a client needs a password session (OAuthService.authorize), which is never narrowed.
    'POST /api/v1/oauth/authorize',
    // Creates another tenant with its own first admin, never touching the caller's: exactly what
    // public registration allows (FlowRunner's POST /accounts; a paid plan needs a platform admin).
    'POST /api/v1/accounts',
  ]);

  it('every write route of users, api-keys, oauth and accounts needs admin:full or an unrestricted credential', () => {
    const writes = ROUTES.filter((r) => IDENTITY_RESOURCES.has(r.resource) && r.method !== 'GET' && !EXEMPT.has(routeKey(r)));
    expect(writes.length).toBeGreaterThan(10);
    const weak = writes.filter((r) => r.scope !== 'admin:full' && !r.unrestrictedCredential).map(routeKey);
    expect(weak).toEqual([]);
  });

  it('the self-service routes are exactly the caller’s own profile and keys', () => {
    expect(ROUTES.filter((r) => r.unrestrictedCredential).map(routeKey)).toEqual([
      'PUT /api/v1/users/{id}',
      'PATCH /api/v1/users/{id}',
      'POST /api/v1/api-keys',
      'DELETE /api/v1/api-keys/{id}',
    ]);
  });

});
