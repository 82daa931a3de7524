import type { Role } from '../principal.ts';

export type Plan = 'free' | 'enterprise';

/** An account is a tenant: every other item belongs to exactly one. */
export interface Account {
  readonly id: string;
  readonly name: string;
  readonly plan: Plan;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  /**
   * The account's API Gateway API key, in the usage plan of its tier. The value is what the
   * authorizer hands API Gateway as the usage identifier: it never leaves the server.
   */
  readonly gatewayKeyId?: string | undefined;
  readonly gatewayKeyValue?: string | undefined;
}

export interface User {
  readonly id: string;
  readonly accountId: string;
  readonly username: string;
  readonly email: string | null;
  readonly name: string | null;
  readonly lastname: string | null;
  readonly role: Role;
  readonly active: boolean;
  readonly passwordHash: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** Login names are case-insensitive and unique across the whole deployment. */
export const normaliseLogin = (value: string): string => value.trim().toLowerCase();
