/**
 * Data sources: named connections `fetch_data` reads (CloudFlow's `source: "users_table"`). A
 * source holds no credential itself: a password, token or key is a `{{secrets.KEY}}` reference,
 * resolved only inside the task runner. Pure.
 */
export const DATA_SOURCE_TYPES = ['postgres', 'http', 's3', 'dynamodb'] as const;
export type DataSourceType = (typeof DATA_SOURCE_TYPES)[number];

export interface DataSourceConfig {
  /** postgres: `postgres://user:{{secrets.DB_PASSWORD}}@host:5432/db`; http: the URL. */
  readonly url?: string;
  /** postgres: the default table; dynamodb: the user's own table. */
  readonly table?: string;
  /** http: request headers (credentials as `{{secrets.KEY}}`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly bucket?: string;
  readonly prefix?: string;
}

export interface DataSource extends DataSourceConfig {
  readonly accountId: string;
  readonly name: string;
  readonly type: DataSourceType;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The built-in `local` source (local mode's embedded Postgres): listed, never stored, never changed. */
  readonly builtIn?: boolean;
}

/** The name every account's built-in local Postgres source has in local mode. */
export const LOCAL_DATA_SOURCE = 'local';

const SECRET_REFERENCE = /^\{\{\s*secrets\.[A-Z_][A-Z0-9_]{0,127}\s*\}\}$/;
const ANY_SECRET_REFERENCE = /\{\{\s*secrets\.[A-Z_][A-Z0-9_]{0,127}\s*\}\}/;
/** Header names that carry a credential: their value must come from a secret. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token)$|token|secret|key|password/i;

export const isSecretReference = (value: string): boolean => SECRET_REFERENCE.test(value);

/**
 * Where a source would hold a credential as plain text, by field: a password in a URL, a query
 * parameter named like a key, or a credential header, unless the value is a `{{secrets.KEY}}` reference.
 */
export function plainCredentials(config: DataSourceConfig): string[] {
  const problems: string[] = [];
  if (config.url) {
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^@/?#]*)@/i.exec(config.url)?.[1];
    const password = userinfo?.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : undefined;
    if (password !== undefined && password !== '' && !isSecretReference(decodeURIComponentSafe(password))) problems.push('url');
    const query = config.url.includes('?') ? config.url.slice(config.url.indexOf('?') + 1) : '';
    for (const pair of query.split('&')) {
      const [name = '', value = ''] = pair.split('=');
      if (CREDENTIAL_HEADER.test(decodeURIComponentSafe(name)) && value !== '' && !ANY_SECRET_REFERENCE.test(decodeURIComponentSafe(value))) problems.push('url');
    }
  }
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    if (CREDENTIAL_HEADER.test(name) && !ANY_SECRET_REFERENCE.test(value)) problems.push(`headers.${name}`);
  }
  return [...new Set(problems)];
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
