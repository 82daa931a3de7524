import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';

/**
 * Where a request path the API names (`definition.nodes.fetch.params.url`, `tasks[2].payload`)
 * sits in the YAML or JSON text being edited, so an issue is shown at its node. A path that goes
 * further than the text (a missing required field) lands on the deepest part that exists.
 */
export function segmentsOf(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

export interface TextRange {
  from: number;
  to: number;
}

export function rangeOfPath(doc: Document, path: string): TextRange | undefined {
  let node: unknown = doc.contents;
  let range: TextRange | undefined = rangeOf(node as Node);
  for (const segment of segmentsOf(path)) {
    let next: unknown;
    let keyRange: TextRange | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p: Pair) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair) {
        next = pair.value;
        keyRange = rangeOf(pair.key as Node);
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined || next === null) {
      if (keyRange) range = keyRange;
      break;
    }
    node = isPair(next) ? next.value : next;
    range = keyRange ?? rangeOf(node as Node) ?? range;
  }
  return range;
}

function rangeOf(node: Node | null | undefined): TextRange | undefined {
  const r = node?.range;
  return r ? { from: r[0], to: Math.max(r[1], r[0] + 1) } : undefined;
}

export interface ParsedBody {
  value: unknown;
  doc: Document;
  /** YAML/JSON syntax errors, with where they are. */
  errors: Array<{ message: string; from: number; to: number }>;
}

export function parseBody(text: string): ParsedBody {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const errors = doc.errors.map((e) => ({ message: e.message, from: e.pos[0], to: Math.max(e.pos[1], e.pos[0] + 1) }));
  return { doc, errors, value: errors.length ? undefined : doc.toJS({ maxAliasCount: 50 }) };
}
