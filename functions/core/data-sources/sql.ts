/**
 * SQL for fetch_data, built so a value is only ever a bind parameter ($1, $2, …): named parameters
 * in the user's query (`:last_run`, `:input.x`, `:steps.<id>.output.y`) become placeholders, filters
 * become `"col" = $n` with validated, quoted identifiers. Nothing here concatenates a value. Pure.
 */

/** A named parameter of the query language: where its value comes from. */
export type NamedParameter = { kind: 'last_run' } | { kind: 'input'; path: string[] } | { kind: 'steps'; node: string; path: string[] };

export class SqlBuildError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SqlBuildError';
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const PARAMETER = /^:(last_run\b|input(?:\.[A-Za-z0-9_]+)+|steps\.[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_]+)+)/;

/** A column or table name (optionally `schema.table`), double-quoted; anything else is refused. */
export function quoteIdentifier(name: string, field: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) throw new SqlBuildError(field, `${field} must be a column or table name (letters, digits and _, optionally schema.table)`);
  return parts.map((p) => `"${p}"`).join('.');
}

function parameterOf(token: string): NamedParameter {
  const [head, ...rest] = token.slice(1).split('.');
  if (head === 'last_run') return { kind: 'last_run' };
  if (head === 'input') return { kind: 'input', path: rest };
  return { kind: 'steps', node: rest[0]!, path: rest.slice(1) };
}

/**
 * Rewrites `:name` parameters to `$1…$n` (the same name twice is one placeholder), skipping string
 * literals, quoted identifiers, dollar-quoted bodies, comments and `::` casts. An unknown `:name` is
 * an error naming it, so a typo never reaches the database as text.
 */
export function toPositional(query: string, firstIndex = 1): { sql: string; parameters: NamedParameter[] } {
  const parameters: NamedParameter[] = [];
  const indexOf = new Map<string, number>();
  let out = '';
  let i = 0;
  const n = query.length;
  while (i < n) {
    const c = query[i]!;
    const next = query[i + 1];
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && !(query[j] === c && query[j + 1] !== c)) j += query[j] === c ? 2 : 1;
      out += query.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && next === '-') {
      const end = query.indexOf('\n', i);
      const j = end === -1 ? n : end;
      out += query.slice(i, j);
      i = j;
    } else if (c === '/' && next === '*') {
      const end = query.indexOf('*/', i + 2);
      const j = end === -1 ? n : end + 2;
      out += query.slice(i, j);
      i = j;
    } else if (c === '$' && /[A-Za-z_$]/.test(next ?? '') && /^\$[A-Za-z_]*\$/.test(query.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(query.slice(i))![0];
      const end = query.indexOf(tag, i + tag.length);
      const j = end === -1 ? n : end + tag.length;
      out += query.slice(i, j);
      i = j;
    } else if (c === ':' && next === ':') {
      out += '::';
      i += 2;
    } else if (c === ':' && /[A-Za-z_]/.test(next ?? '')) {
      const m = PARAMETER.exec(query.slice(i));
      if (!m) {
        const name = /^:[A-Za-z_][A-Za-z0-9_.-]*/.exec(query.slice(i))![0];
        throw new SqlBuildError('query', `unknown parameter ${name}: use :last_run, :input.<field> or :steps.<id>.output.<field>`);
      }
      let index = indexOf.get(m[0]);
      if (index === undefined) {
        parameters.push(parameterOf(m[0]));
        index = firstIndex + parameters.length - 1;
        indexOf.set(m[0], index);
      }
      out += `$${index}`;
      i += m[0].length;
    } else {
      out += c;
      i++;
    }
  }
  return { sql: out, parameters };
}

export type FilterValue = string | number | boolean | null;

/**
 * The whole statement: the user's query (or `SELECT * FROM <table>`) as a subquery, the filters as
 * `WHERE "col" = $k AND …` (`IS NULL` for null), and `LIMIT $m`.
 */
export function buildSelect(input: { query?: string | undefined; table?: string | undefined; filters: Readonly<Record<string, FilterValue>>; limit: number }): {
  sql: string;
  parameters: NamedParameter[];
  values: FilterValue[];
} {
  let base: string;
  let parameters: NamedParameter[] = [];
  if (input.query !== undefined) {
    const trimmed = input.query.trim().replace(/;\s*$/, '');
    if (trimmed.includes(';')) {
      // Only a literal or comment may hold one: check by rewriting, which skips those.
      const { sql } = toPositional(trimmed);
      if (sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, '').includes(';')) throw new SqlBuildError('query', 'query must be one statement');
    }
    const positional = toPositional(trimmed);
    base = `(${positional.sql}) AS stepwise_source`;
    parameters = positional.parameters;
  } else if (input.table !== undefined) {
    base = quoteIdentifier(input.table, 'table');
  } else {
    throw new SqlBuildError('query', 'give a query, or a data source with a default table');
  }
  const values: FilterValue[] = [];
  const conditions = Object.entries(input.filters).map(([column, value]) => {
    const col = quoteIdentifier(column, `filters.${column}`);
    if (value === null) return `${col} IS NULL`;
    values.push(value);
    return `${col} = $${parameters.length + values.length}`;
  });
  values.push(input.limit);
  const sql = `SELECT * FROM ${base}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''} LIMIT $${parameters.length + values.length}`;
  return { sql, parameters, values };
}
