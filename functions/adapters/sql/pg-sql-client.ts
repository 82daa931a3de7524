import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type pg from 'pg';
import { SqlFailure, type SqlClient } from '../../core/data-sources/ports.ts';
import { judgeDestination, type AddressPolicy } from '../../core/net/address-policy.ts';

/**
 * fetch_data's Postgres client (pg): one connection per statement, opened to an address the SSRF
 * policy allows (the name is resolved here and the connection goes to that address, so a DNS answer
 * cannot change between the check and the dial), with statement and connect timeouts. Local mode's
 * embedded Postgres (`local`, on a reserved loopback port that HTTP nodes can never reach) is the
 * one reserved destination a Postgres source may name. Errors never quote the URL, which carries the
 * resolved password.
 */
/** The one URL parameter a Postgres source may carry; anything else could redirect or reconfigure the connection. */
const SSL_MODES: Readonly<Record<string, boolean>> = { disable: false, require: true, 'verify-full': true };

function credentialsOf(target: URL): { user?: string; password?: string; database?: string; ssl?: boolean } {
  for (const name of target.searchParams.keys()) {
    if (name !== 'sslmode') throw new SqlFailure('blocked', `the data source URL may carry only the sslmode parameter, not "${name.slice(0, 64)}"`);
  }
  const sslmode = target.searchParams.get('sslmode');
  if (sslmode !== null && !Object.hasOwn(SSL_MODES, sslmode)) throw new SqlFailure('blocked', `sslmode must be one of ${Object.keys(SSL_MODES).join(', ')}`);
  try {
    const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
    return {
      ...(target.username ? { user: decodeURIComponent(target.username) } : {}),
      ...(target.password ? { password: decodeURIComponent(target.password) } : {}),
      ...(database ? { database } : {}),
      // require and verify-full both verify the server's certificate (pg's own reading of require since pg-connection-string 2.7).
      ...(sslmode !== null ? { ssl: SSL_MODES[sslmode]! } : {}),
    };
  } catch {
    throw new SqlFailure('blocked', 'the data source URL is not a valid postgres:// URL (a malformed %-escape)');
  }
}

export class PgSqlClient implements SqlClient {
  constructor(
    private readonly policy: AddressPolicy,
    /** `127.0.0.1:<port>` of local mode's Postgres. */
    private readonly localPostgres?: string | undefined,
  ) {}

  /**
   * A client opened to an address the policy allows (not yet connected): etl's readers and writers keep one
   * connection for a whole run. Throws SqlFailure `connect` or `blocked`.
   */
  async open(connection: { url: string }, options: { timeoutMs: number }, applicationName: string): Promise<pg.Client> {
    let target: URL;
    try {
      target = new URL(connection.url);
    } catch {
      throw new SqlFailure('connect', 'the data source URL is not a valid postgres:// URL');
    }
    const hostname = target.hostname.replace(/^\[|\]$/g, '');
    const port = Number(target.port || 5432);
    const address = isIP(hostname) ? hostname : ((await lookup(hostname).catch(() => undefined))?.address ?? '');
    if (!address) throw new SqlFailure('connect', `the database host ${hostname} does not resolve`);
    const trusted = this.localPostgres !== undefined && `${address}:${port}` === this.localPostgres;
    if (!trusted) {
      const verdict = judgeDestination(address, port, this.policy);
      if (!verdict.allowed) throw new SqlFailure('blocked', `the database address is not allowed (${verdict.reason})`);
    }
    const { default: pgModule } = await import('pg');
    // Never pg's connectionString: it parses the URL again and lets `?host=` (or a second DNS
    // answer) choose another server than the one judged above. Only the judged address is dialled.
    return new pgModule.Client({
      ...credentialsOf(target),
      host: address,
      port,
      // The built-in source boots PGlite on its first connection, which takes seconds.
      connectionTimeoutMillis: trusted ? 90_000 : Math.min(10_000, options.timeoutMs),
      statement_timeout: options.timeoutMs,
      query_timeout: options.timeoutMs + 1_000,
      application_name: applicationName,
    });
  }

  async query(
    connection: { url: string },
    statement: { sql: string; values: readonly unknown[] },
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<{ rows: Record<string, unknown>[] }> {
    const client = await this.open(connection, options, 'stepwise-fetch-data');
    const abort = () => void client.end().catch(() => undefined);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      try {
        await client.connect();
      } catch (error) {
        throw new SqlFailure('connect', `could not connect to the database (${(error as { code?: string }).code ?? 'connection failed'})`);
      }
      const result = await client.query({ text: statement.sql, values: [...statement.values] });
      return { rows: result.rows as Record<string, unknown>[] };
    } catch (error) {
      if (error instanceof SqlFailure) throw error;
      if (options.signal?.aborted) throw new SqlFailure('aborted', 'the run was cancelled');
      const e = error as { code?: string; message?: string };
      if (e.code === '57014' || /timeout/i.test(e.message ?? '')) throw new SqlFailure('timeout', `the query did not finish within ${options.timeoutMs} ms`, e.code);
      throw new SqlFailure('query', `the database refused the query: ${e.message ?? 'error'}${e.code ? ` (SQLSTATE ${e.code})` : ''}`, e.code);
    } finally {
      options.signal?.removeEventListener('abort', abort);
      await client.end().catch(() => undefined);
    }
  }
}
