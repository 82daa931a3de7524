/**
 * Scopes and roles: the access vocabulary the route table (lib/definitions/routes.ts) assigns to
 * routes and the domain (functions/core) checks principals against. Its own module so core reads
 * it without depending on the route table (docs/architecture.md#layering-rules). Pure data.
 */
export const SCOPES = [
  'tasks:read',
  'tasks:write',
  'workflows:read',
  'workflows:write',
  'pipelines:read',
  'pipelines:write',
  'analytics:read',
  'admin:full',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Roles, weakest first: each may do everything the ones before it may. */
export const ROLES = ['viewer', 'member', 'admin', 'platform_admin'] as const;
export type Role = (typeof ROLES)[number];

/** True when `role` is at least `required` in the ROLES order. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
