/**
 * Shape limits for JSON that users send and Stepwise stores (docs/api.md, "Limits"). DynamoDB refuses
 * items nested more than 32 levels, and Stepwise stores request values inside a few levels of its own
 * (a node's params sit in the workflow item's node list, an event wraps what it reports); 24 levels
 * for a whole request body, or a whole definition, leaves that room. `__proto__` is refused as a key: a
 * JavaScript object copy turns it into the object's prototype, so the value would silently vanish.
 */
export const MAX_JSON_DEPTH = 24;
/** A workflow definition as sent (text or JSON), before aliases are expanded. */
export const MAX_DEFINITION_BYTES = 262_144;
export const FORBIDDEN_KEY = '__proto__';

export type JsonProblem =
  | { kind: 'depth'; path: (string | number)[] }
  | { kind: 'key'; path: (string | number)[] }
  | { kind: 'size'; bytes: number };

export interface JsonLimits {
  /** Containers nested deeper than this are a problem; the value itself is level 1 when it is an object or array. */
  maxDepth?: number;
  /** Stop (and report) once the value would serialise to more than this many bytes (aliases expanded). */
  maxBytes?: number;
}

interface Frame {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Frame | undefined;
}

const pathOf = (frame: Frame): (string | number)[] => {
  const out: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) out.push(f.key as string | number);
  return out.reverse();
};

/**
 * The first problem in a parsed JSON (or YAML) value: too deep, a forbidden key, or too big. Walks
 * without recursion, so a value nested 40,000 levels is reported rather than overflowing the stack; a
 * value shared by reference (YAML aliases) is walked each time it appears, as JSON would repeat it, and
 * the size limit stops the walk early, so expanding aliases costs at most `maxBytes`.
 */
export function inspectJson(value: unknown, limits: JsonLimits = {}): JsonProblem | undefined {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const maxBytes = limits.maxBytes ?? Infinity;
  let bytes = 0;
  const stack: Frame[] = [{ value, depth: 0, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const v = frame.value;
    if (v === null || typeof v !== 'object') {
      bytes += typeof v === 'string' ? v.length + 2 : typeof v === 'number' ? String(v).length : 5;
    } else {
      const depth = frame.depth + 1;
      if (depth > maxDepth) return { kind: 'depth', path: pathOf(frame) };
      bytes += 2;
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i -= 1) stack.push({ value: v[i], depth, key: i, parent: frame });
        bytes += v.length;
      } else {
        for (const key of Object.keys(v)) {
          if (key === FORBIDDEN_KEY) return { kind: 'key', path: [...pathOf(frame), key] };
          bytes += key.length + 4;
          stack.push({ value: (v as Record<string, unknown>)[key], depth, key, parent: frame });
        }
      }
    }
    if (bytes > maxBytes) return { kind: 'size', bytes };
  }
  return undefined;
}

/** `a.b[0].c` for a path; long paths keep their first segments (the point is which field). */
export function formatJsonPath(path: readonly (string | number)[], keep = 8): string {
  const shown = path.slice(0, keep).map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return path.length > keep ? `${shown}…` : shown;
}
