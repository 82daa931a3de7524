import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * Checks one HTTP exchange against the OpenAPI 3.1 document the server serves: the operation
 * exists, the status is documented, the body is of a documented media type and matches its schema
 * (OpenAPI 3.1 schemas are JSON Schema 2020-12, so Ajv's 2020 dialect validates them as written),
 * every API header the server sent is declared for that response (and every required one is sent),
 * and — for requests the server accepted — the document would have accepted the request too, so a
 * client generated from the document is never stricter than the server.
 */

export interface Exchange {
  method: string;
  /** Path and query, as sent. */
  url: string;
  requestHeaders: Record<string, string | undefined>;
  requestBody: string | undefined;
  status: number;
  responseHeaders: Record<string, string | undefined>;
  responseBody: string;
}

/** Headers that carry API meaning: each must be declared on every response that sends it. */
export const API_HEADERS = [
  'x-request-id',
  'etag',
  'location',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'ratelimit',
  'ratelimit-policy',
  'retry-after',
  'idempotent-replayed',
  'www-authenticate',
] as const;

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  literalSegments: number;
  pointer: string;
  op: OpenApiOperation;
}

interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface OpenApiMedia {
  schema?: Record<string, unknown>;
}

interface OpenApiResponse {
  content?: Record<string, OpenApiMedia>;
  headers?: Record<string, unknown>;
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, OpenApiMedia> };
  responses: Record<string, OpenApiResponse>;
}

const DOC_ID = 'https://stepwise.local/openapi.json';
const escapePointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export interface Contract {
  check(exchange: Exchange): string[];
}

export function createContract(document: Record<string, unknown>): Contract {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOC_ID });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (pointer: string) => {
    let fn = compiled.get(pointer);
    if (!fn) compiled.set(pointer, (fn = ajv.compile({ $ref: `${DOC_ID}#${pointer}` })));
    return fn;
  };
  const validate = (pointer: string, value: unknown): string | undefined => {
    const fn = validator(pointer);
    if (fn(value)) return undefined;
    return (fn.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
      .join('; ');
  };

  const operations: Operation[] = [];
  const paths = document.paths as Record<string, Record<string, OpenApiOperation>>;
  for (const [template, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const segments = template.split('/');
      const source = segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/');
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${source}/?$`),
        literalSegments: segments.filter((s) => !/^\{.+\}$/.test(s)).length,
        pointer: `/paths/${escapePointer(template)}/${method}`,
        op,
      });
    }
  }
  // A literal segment beats a parameter: POST /workflows/validate is not POST /workflows/{id}.
  operations.sort((a, b) => b.literalSegments - a.literalSegments);

  return {
    check(ex) {
      const url = new URL(ex.url, 'http://contract.local');
      const method = ex.method.toUpperCase();
      if (method === 'OPTIONS' || method === 'HEAD') return [];
      const match = operations.find((o) => o.method === method && o.pattern.test(url.pathname));
      const where = `${method} ${url.pathname} → ${ex.status}`;
      if (!match) {
        // Unknown paths and methods are the gateway's 404/405, which no document lists.
        return ex.status === 404 || ex.status === 405 ? [] : [`${where}: no operation in the document`];
      }
      const problems: string[] = [];
      const label = `${where} (${match.op.operationId ?? match.template})`;
      const statusKey = String(ex.status) in match.op.responses ? String(ex.status) : 'default' in match.op.responses ? 'default' : undefined;
      if (!statusKey) return [`${label}: status ${ex.status} is not documented`];
      const { value: response, pointer: responsePointer } = resolve<OpenApiResponse>(document, match.op.responses[statusKey]!, `${match.pointer}/responses/${statusKey}`);

      const contentType = (header(ex.responseHeaders, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const media = response.content ?? {};
      if (ex.responseBody.length > 0) {
        if (!(contentType in media)) {
          problems.push(`${label}: response media type '${contentType}' is not documented (documented: ${Object.keys(media).join(', ') || 'none'})`);
        } else if (media[contentType]!.schema && contentType.endsWith('json')) {
          let body: unknown;
          try {
            body = JSON.parse(ex.responseBody);
          } catch {
            problems.push(`${label}: response body is not JSON`);
          }
          if (body !== undefined) {
            const error = validate(`${responsePointer}/content/${escapePointer(contentType)}/schema`, body);
            if (error) problems.push(`${label}: response body: ${error}`);
          }
        }
      } else if (Object.keys(media).length > 0 && ex.status !== 204) {
        problems.push(`${label}: the document promises a body, the response has none`);
      }

      const declared = Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([name, h]) => {
          const { value, pointer } = resolve<{ required?: boolean; schema?: Record<string, unknown> }>(document, h, `${responsePointer}/headers/${escapePointer(name)}`);
          return [name.toLowerCase(), { ...value, name, pointer }];
        }),
      );
      for (const name of API_HEADERS) {
        const value = header(ex.responseHeaders, name);
        if (value === undefined) continue;
        const decl = declared[name];
        if (!decl) {
          problems.push(`${label}: response header '${name}' is not declared`);
          continue;
        }
        if (decl.schema) {
          const error = validate(`${decl.pointer}/schema`, coerce(value, decl.schema));
          if (error) problems.push(`${label}: response header '${name}': ${error}`);
        }
      }
      for (const [name, decl] of Object.entries(declared)) {
        if (decl.required && header(ex.responseHeaders, name) === undefined) problems.push(`${label}: required response header '${name}' is missing`);
      }

      // Only requests the server accepted say anything about the document being stricter than the server.
      if (ex.status >= 200 && ex.status < 300) problems.push(...checkRequest(ex, url, match, label, validate));
      return problems;
    },
  };
}

function checkRequest(ex: Exchange, url: URL, match: Operation, label: string, validate: (pointer: string, value: unknown) => string | undefined): string[] {
  const problems: string[] = [];
  const params = match.op.parameters ?? [];
  params.forEach((p, i) => {
    if (p.in === 'query') {
      const value = url.searchParams.get(p.name);
      if (value === null) {
        if (p.required) problems.push(`${label}: the server accepted a request without the required query parameter '${p.name}'`);
        return;
      }
      if (p.schema) {
        const error = validate(`${match.pointer}/parameters/${i}/schema`, coerce(value, p.schema));
        if (error) problems.push(`${label}: the server accepted query '${p.name}=${value}' that the document refuses: ${error}`);
      }
    }
    if (p.in === 'header' && p.required && header(ex.requestHeaders, p.name) === undefined) {
      problems.push(`${label}: the server accepted a request without the required header '${p.name}'`);
    }
  });
  const body = ex.requestBody ?? '';
  const spec = match.op.requestBody;
  if (body.trim() === '') {
    if (spec?.required) problems.push(`${label}: the server accepted a request without a body, the document requires one`);
    return problems;
  }
  if (!spec) return problems;
  const contentType = (header(ex.requestHeaders, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // The server reads JSON labelled as a form (curl -d without a Content-Type), as docs/api.md says.
  const asJson = contentType.endsWith('json') || (contentType === 'application/x-www-form-urlencoded' && /^\s*[{[]/.test(body));
  const mediaType = asJson && !(contentType in spec.content) ? 'application/json' : contentType;
  if (!(mediaType in spec.content)) {
    problems.push(`${label}: the server accepted a '${contentType}' body, the document lists only ${Object.keys(spec.content).join(', ')}`);
    return problems;
  }
  let value: unknown;
  try {
    value = asJson ? JSON.parse(body) : Object.fromEntries(new URLSearchParams(body));
  } catch {
    return problems;
  }
  const error = validate(`${match.pointer}/requestBody/content/${escapePointer(mediaType)}/schema`, value);
  if (error) problems.push(`${label}: the server accepted a request body the document refuses: ${error}`);
  return problems;
}

/** Follows a local `$ref` (components/responses, components/headers) to the object and its JSON pointer. */
function resolve<T>(document: Record<string, unknown>, value: unknown, pointer: string): { value: T; pointer: string } {
  const ref = (value as { $ref?: unknown } | null)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return { value: value as T, pointer };
  const target = ref
    .slice(2)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
  return resolve<T>(document, target, ref.slice(1));
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower && v !== undefined) return v;
  return undefined;
}

/** Query and header values are text; a schema that says integer, number or boolean means the parsed value. */
function coerce(value: string, schema: Record<string, unknown>): unknown {
  const types = ([] as unknown[]).concat(schema.type ?? []);
  if ((types.includes('integer') || types.includes('number')) && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
