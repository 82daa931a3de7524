import { describe, expect, it } from 'vitest';
import { PgSqlClient } from '../../../../functions/adapters/sql/pg-sql-client.ts';
import { SqlFailure } from '../../../../functions/core/data-sources/ports.ts';

/** What the client is configured to dial, before it connects (pg.Client keeps its settings as fields). */
interface Dialled {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  ssl?: unknown;
}

const client = new PgSqlClient({ allowLoopback: false });
const open = (url: string) => client.open({ url }, { timeoutMs: 1_000 }, 'test') as unknown as Promise<Dialled>;

async function refusal(url: string): Promise<SqlFailure> {
  const error = await open(url).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SqlFailure);
  return error as SqlFailure;
}

describe('PgSqlClient.open: only the judged address is dialled', () => {
  it('dials the address it judged, with the URL’s user, password, database and sslmode', async () => {
    const dialled = await open('postgres://app:p%40ss@8.8.8.8:6543/crm?sslmode=require');
    expect({ host: dialled.host, port: dialled.port, user: dialled.user, password: dialled.password, database: dialled.database, ssl: dialled.ssl }).toEqual({
      host: '8.8.8.8',
      port: 6543,
      user: 'app',
      password: 'p@ss',
      database: 'crm',
      ssl: true,
    });
  });

  it('refuses ?host= and every other parameter that could move or reconfigure the connection (pg would obey them over the judged address)', async () => {
    for (const param of ['host=10.0.0.5', 'hostaddr=10.0.0.5', 'port=22', 'options=-c%20statement_timeout%3D0', 'application_name=x']) {
      const refused = await refusal(`postgres://app:pw@8.8.8.8:5432/crm?${param}`);
      expect(refused.kind).toBe('blocked');
      expect(refused.message).toBe(`the data source URL may carry only the sslmode parameter, not "${param.split('=')[0]}"`);
    }
    expect((await refusal('postgres://app:pw@8.8.8.8/crm?sslmode=allow')).message).toBe('sslmode must be one of disable, require, verify-full');
  });

  it('refuses a private address and a malformed %-escape without a retry (blocked), never quoting the URL', async () => {
    const privateAddress = await refusal('postgres://app:pw-s3cret@10.0.0.5:5432/crm');
    expect(privateAddress.kind).toBe('blocked');
    expect(privateAddress.message).not.toContain('pw-s3cret');
    const malformed = await refusal('postgres://app:%E0@8.8.8.8:5432/crm');
    expect(malformed).toMatchObject({ kind: 'blocked', message: 'the data source URL is not a valid postgres:// URL (a malformed %-escape)' });
  });
});
