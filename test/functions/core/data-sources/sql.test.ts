import { describe, expect, it } from 'vitest';
import { buildSelect, quoteIdentifier, SqlBuildError, toPositional } from '../../../../functions/core/data-sources/sql.ts';
import { plainCredentials } from '../../../../functions/core/data-sources/data-source.ts';

describe('toPositional', () => {
  it('turns named parameters into $n, one placeholder per name, in order of first use', () => {
    expect(toPositional('SELECT * FROM customers WHERE updated_at > :last_run AND region = :input.region OR owner = :input.region')).toEqual({
      sql: 'SELECT * FROM customers WHERE updated_at > $1 AND region = $2 OR owner = $2',
      parameters: [{ kind: 'last_run' }, { kind: 'input', path: ['region'] }],
    });
    expect(toPositional('SELECT :steps.load-users.output.records.0.id', 3)).toEqual({ sql: 'SELECT $3', parameters: [{ kind: 'steps', node: 'load-users', path: ['output', 'records', '0', 'id'] }] });
  });

  it('leaves casts, string literals, quoted identifiers, comments and dollar quotes alone', () => {
    const sql = `SELECT '2024-01-01'::date, ':input.x', "col:input.y", $tag$ :input.z $tag$ -- :input.w\n/* :last_run */ FROM t WHERE a = 'it''s :input.q'`;
    expect(toPositional(sql)).toEqual({ sql, parameters: [] });
  });

  it('an unknown parameter is an error naming it', () => {
    expect(() => toPositional('SELECT * FROM t WHERE id = :id')).toThrow(new SqlBuildError('query', 'unknown parameter :id: use :last_run, :input.<field> or :steps.<id>.output.<field>'));
    expect(() => toPositional('SELECT :input')).toThrow(/unknown parameter :input/);
  });
});

describe('buildSelect', () => {
  it('the table, filters as quoted "col" = $n (null as IS NULL) and the limit, values apart from the text', () => {
    expect(buildSelect({ table: 'public.users', filters: { active: true, email: "x' OR '1'='1", deleted_at: null }, limit: 10 })).toEqual({
      sql: 'SELECT * FROM "public"."users" WHERE "active" = $1 AND "email" = $2 AND "deleted_at" IS NULL LIMIT $3',
      parameters: [],
      values: [true, "x' OR '1'='1", 10],
    });
  });

  it('a query becomes a subquery; its parameters come first, then the filters and the limit; a trailing semicolon is fine', () => {
    expect(buildSelect({ query: 'SELECT * FROM customers WHERE updated_at > :last_run;', filters: { tier: 'gold' }, limit: 5 })).toEqual({
      sql: 'SELECT * FROM (SELECT * FROM customers WHERE updated_at > $1) AS stepwise_source WHERE "tier" = $2 LIMIT $3',
      parameters: [{ kind: 'last_run' }],
      values: ['gold', 5],
    });
  });

  it('refuses two statements, a bad identifier, and neither query nor table', () => {
    expect(() => buildSelect({ query: 'SELECT 1; DROP TABLE users', filters: {}, limit: 1 })).toThrow('query must be one statement');
    expect(buildSelect({ query: "SELECT ';' AS semi", filters: {}, limit: 1 }).sql).toBe(`SELECT * FROM (SELECT ';' AS semi) AS stepwise_source LIMIT $1`);
    expect(() => buildSelect({ table: 'users', filters: { 'a" = 1 OR "b': 1 }, limit: 1 })).toThrow(/filters\.a" = 1 OR "b must be a column/);
    expect(() => buildSelect({ filters: {}, limit: 1 })).toThrow('give a query, or a data source with a default table');
    expect(() => quoteIdentifier('a.b.c', 'table')).toThrow(SqlBuildError);
  });
});

describe('plainCredentials', () => {
  it('finds a password, a key-like query parameter or a credential header that is not a secret reference', () => {
    expect(plainCredentials({ url: 'postgres://app:{{secrets.DB_PASSWORD}}@db/crm' })).toEqual([]);
    expect(plainCredentials({ url: 'postgres://app@db/crm' })).toEqual([]);
    expect(plainCredentials({ url: 'postgres://app:hunter2@db/crm' })).toEqual(['url']);
    expect(plainCredentials({ url: 'https://x.example/users?api_key=abc&page=2' })).toEqual(['url']);
    expect(plainCredentials({ url: 'https://x.example/users?api_key={{secrets.K}}&page=2' })).toEqual([]);
    expect(plainCredentials({ headers: { Authorization: 'Bearer {{secrets.T}}', Accept: 'application/json', 'X-Api-Key': 'k' } })).toEqual(['headers.X-Api-Key']);
  });
});
