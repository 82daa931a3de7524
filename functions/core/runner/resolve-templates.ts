import { parseTemplate, splitPath, wholeTemplate, type TemplateRef } from '../../../statemachines/templates.ts';
import { MIN_SECRET_VALUE_LENGTH } from '../secrets/secret.ts';
import { nonRetryable } from './errors.ts';

/** A finished node as the orchestration recorded it. */
export interface StepSnapshot {
  status: string;
  output?: unknown;
  error?: string | null;
}

export interface TemplateScope {
  /** The execution input. */
  input: unknown;
  step(nodeId: string): Promise<StepSnapshot | undefined>;
  /** Must only ever read the executing account's secrets; the resolver never chooses the account. */
  secret(key: string): Promise<string | undefined>;
  /** Inside a map iteration: the innermost item and its index. */
  map?: { item: unknown; index: number } | undefined;
}

export interface TemplateResolver {
  resolve(value: unknown, at?: string): Promise<unknown>;
  /** Every secret value substituted so far, for masking logs, outputs and errors. */
  readonly secretValues: Set<string>;
}

// Same grammar as statemachines/templates.ts (whose pattern is private); parseTemplate does the real work.
const TEMPLATE = /\{\{([^{}]*)\}\}/g;

/**
 * Resolves `{{…}}` in strings anywhere inside a JSON-like value (object keys stay literal). A string that is
 * exactly one template becomes the referenced value with its type; a template inside longer text is
 * stringified: strings as-is, numbers and booleans with String(), objects and arrays as JSON, and a missing
 * value (null or undefined) as the empty string, so "id={{input.missing}}" reads "id=" rather than
 * "id=null". A missing input or step path is null (whole) or '' (embedded); a missing secret fails the node.
 *
 * Substituted values are never scanned again, so execution input that contains "{{secrets.X}}" stays text.
 * Lookups are shared within one resolver, so a node reading the same step or secret twice reads it once.
 */
export function createTemplateResolver(scope: TemplateScope): TemplateResolver {
  const secretValues = new Set<string>();
  const steps = new Map<string, Promise<StepSnapshot | undefined>>();
  const secrets = new Map<string, Promise<string | undefined>>();

  const lookup = async (ref: TemplateRef, expression: string): Promise<unknown> => {
    switch (ref.kind) {
      case 'input':
        return getPath(scope.input, ref.path);
      case 'item':
        if (!scope.map) throw nonRetryable(`{{${expression}}} is only available inside a map iterator`);
        return getPath(scope.map.item, ref.path);
      case 'index':
        if (!scope.map) throw nonRetryable(`{{${expression}}} is only available inside a map iterator`);
        return scope.map.index;
      case 'steps': {
        let pending = steps.get(ref.node);
        if (!pending) steps.set(ref.node, (pending = scope.step(ref.node)));
        const step = await pending;
        if (!step) return undefined;
        const [field, ...rest] = ref.path;
        if (field === undefined) return { status: step.status, output: step.output ?? null, error: step.error ?? null };
        if (field === 'output') return getPath(step.output, rest);
        return rest.length === 0 ? (field === 'status' ? step.status : step.error) : undefined;
      }
      case 'secrets': {
        let pending = secrets.get(ref.key);
        if (!pending) secrets.set(ref.key, (pending = scope.secret(ref.key)));
        const value = await pending;
        // The key is safe to name; the value never appears in an error.
        if (value === undefined) throw nonRetryable(`secret ${ref.key} is not set for this account; create it under the account's secrets`, { secret: ref.key });
        // A value this short could not be masked reliably (older values predate the write-time minimum).
        if ([...value].length < MIN_SECRET_VALUE_LENGTH) {
          throw nonRetryable(`secret ${ref.key} is shorter than ${MIN_SECRET_VALUE_LENGTH} characters and cannot be masked; replace its value`, { secret: ref.key });
        }
        secretValues.add(value);
        return value;
      }
    }
  };

  const parse = (expression: string, at: string): TemplateRef => {
    const { ref, problem } = parseTemplate(expression);
    if (!ref) throw nonRetryable(`template {{${expression.trim()}}} at ${at || 'params'}: ${problem ?? 'cannot be parsed'}`);
    return ref;
  };

  const resolveString = async (text: string, at: string): Promise<unknown> => {
    const whole = wholeTemplate(text);
    if (whole) return (await lookup(whole, text.trim().slice(2, -2).trim())) ?? null;
    const matches = [...text.matchAll(TEMPLATE)];
    if (matches.length === 0) return text;
    const values = await Promise.all(matches.map((m) => lookup(parse(m[1] ?? '', at), (m[1] ?? '').trim())));
    let out = '';
    let last = 0;
    matches.forEach((m, i) => {
      out += text.slice(last, m.index) + embed(values[i]);
      last = m.index + m[0].length;
    });
    return out + text.slice(last);
  };

  const visit = async (value: unknown, at: string): Promise<unknown> => {
    if (typeof value === 'string') return resolveString(value, at);
    if (Array.isArray(value)) return Promise.all(value.map((item, i) => visit(item, `${at}[${i}]`)));
    if (isPlainObject(value)) {
      const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await visit(v, at === '' ? k : `${at}.${k}`)] as const));
      return Object.fromEntries(entries);
    }
    return value;
  };

  return { resolve: (value, at = '') => visit(value, at), secretValues };
}

/**
 * The nodes `{{steps.<id>…}}` templates anywhere in `value` name, found the way the resolver finds
 * them (unparsable templates are left for the resolver to refuse), so their reads can start early.
 */
export function stepsReferenced(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(TEMPLATE)) {
      const { ref } = parseTemplate(m[1] ?? '');
      if (ref?.kind === 'steps') found.add(ref.node);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) stepsReferenced(item, found);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) stepsReferenced(item, found);
  }
  return found;
}

/** One-shot form of createTemplateResolver. */
export async function resolveTemplates(value: unknown, scope: TemplateScope): Promise<{ value: unknown; secretValues: Set<string> }> {
  const resolver = createTemplateResolver(scope);
  return { value: await resolver.resolve(value), secretValues: resolver.secretValues };
}

function embed(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Own properties only, so a path such as `constructor` or `__proto__` finds nothing rather than a prototype. */
export function getPath(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const segment of path) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/** `$.orders[0].lines` → the value at that path of `root`; undefined when the text is not such a path. */
export function readJsonPath(root: unknown, text: string): { value: unknown } | undefined {
  if (text === '$') return { value: root };
  if (!text.startsWith('$.') && !text.startsWith('$[')) return undefined;
  const path = splitPath(text.slice(text.startsWith('$.') ? 2 : 1));
  return path ? { value: getPath(root, path) } : undefined;
}
