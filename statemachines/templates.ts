/**
 * `{{input.x}}`, `{{steps.<id>.output.y}}`, `{{secrets.KEY}}` (and, inside a map iterator, `{{item.x}}` and
 * `{{index}}`) are resolved by the task runner at run time. The compiler only finds and checks them: it never
 * substitutes a value, so secret values can never reach state-machine history.
 */

export type TemplateRef =
  | { kind: 'input'; path: string[] }
  | { kind: 'steps'; node: string; path: string[] }
  | { kind: 'secrets'; key: string }
  | { kind: 'item'; path: string[] }
  | { kind: 'index' };

export interface TemplateOccurrence {
  /** The text between the braces, trimmed. */
  expression: string;
  /** Where in the params value it was found, relative to the params object (`body.user.id`). */
  at: string;
  ref?: TemplateRef;
  /** Why the expression could not be parsed, when `ref` is missing. */
  problem?: string;
}

const TEMPLATE = /\{\{([^{}]*)\}\}/g;
const SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const SECRET_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/;

/** `a.b[0].c` → ['a', 'b', '0', 'c']; undefined when malformed. */
export function splitPath(text: string): string[] | undefined {
  if (text === '') return [];
  const out: string[] = [];
  const re = /\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/gy;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(m[1] ?? m[2] ?? '');
    consumed = re.lastIndex;
    if (out.length === 1 && text.startsWith('.')) return undefined;
  }
  return consumed === text.length ? out : undefined;
}

export function parseTemplate(expression: string): { ref?: TemplateRef; problem?: string } {
  const text = expression.trim();
  const root = /^[A-Za-z_]+/.exec(text)?.[0] ?? '';
  const rest = text.slice(root.length);
  const path = splitPath(rest.startsWith('.') ? rest.slice(1) : rest);
  if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) return { problem: `unknown template root "${text}"` };
  switch (root) {
    case 'input':
      return path ? { ref: { kind: 'input', path } } : { problem: `malformed path in "{{${text}}}"` };
    case 'item':
      return path ? { ref: { kind: 'item', path } } : { problem: `malformed path in "{{${text}}}"` };
    case 'index':
      return rest === '' ? { ref: { kind: 'index' } } : { problem: '"{{index}}" takes no path' };
    case 'secrets': {
      const key = rest.slice(1);
      if (!rest.startsWith('.') || !SECRET_KEY.test(key)) return { problem: `"{{${text}}}" must name a secret key: {{secrets.KEY}}` };
      return { ref: { kind: 'secrets', key } };
    }
    case 'steps': {
      if (!path || path.length === 0 || !SEGMENT.test(path[0] ?? '')) {
        return { problem: `"{{${text}}}" must name a node: {{steps.<id>.output...}}` };
      }
      const [node = '', ...tail] = path;
      if (tail.length > 0 && tail[0] !== 'output' && tail[0] !== 'status' && tail[0] !== 'error') {
        return { problem: `"{{${text}}}": after the node id use .output, .status or .error` };
      }
      return { ref: { kind: 'steps', node, path: tail } };
    }
    default:
      return { problem: `unknown template root "${root || text}" (use input, steps, secrets, item or index)` };
  }
}

/** Every template in a JSON-like value (strings anywhere, including object keys are left alone). */
export function findTemplates(value: unknown, at = ''): TemplateOccurrence[] {
  const out: TemplateOccurrence[] = [];
  const visit = (v: unknown, where: string) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(TEMPLATE)) {
        const expression = (m[1] ?? '').trim();
        out.push({ expression, at: where, ...parseTemplate(expression) });
      }
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${where}[${i}]`));
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) visit(item, where === '' ? key : `${where}.${key}`);
    }
  };
  visit(value, at);
  return out;
}

export const hasTemplate = (value: unknown): boolean => findTemplates(value).length > 0;

/** True when the whole string is one template (so it stands for a JSON value, not a piece of text). */
export function wholeTemplate(value: string): TemplateRef | undefined {
  const m = /^\s*\{\{([^{}]*)\}\}\s*$/.exec(value);
  return m ? parseTemplate(m[1] ?? '').ref : undefined;
}
