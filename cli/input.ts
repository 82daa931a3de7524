/** Reading what a command is given: JSON arguments (`@file.json`, `-` for stdin, or inline) and workflow files. */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Prompter } from './prompt.ts';
import { UsageError } from './prompt.ts';

function readFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** `@input.json`, `-` (standard input) or the JSON text itself; must be an object. */
export async function jsonObjectArg(value: string, option: string, prompt: Prompter): Promise<Record<string, unknown>> {
  const text = value === '-' ? await prompt.readAll() : value.startsWith('@') ? readFile(value.slice(1), option) : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${option} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${option} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

const FLOWRUNNER_KEYS = ['nodes', 'metadata', 'start'];
const BODY_KEYS = ['definition', 'tasks', 'steps'];

/**
 * A workflow file as the body of `POST /workflows`: a FlowRunner definition (YAML or JSON with
 * `metadata`/`nodes`) becomes `{definition: <the file's text>}`, so the server keeps the YAML as
 * written; a file with `tasks` (FlowCtl), `steps` (CloudFlow) or `definition` is the body itself.
 */
export function workflowBodyFromFile(path: string): { body: Record<string, unknown>; name: string | undefined } {
  const text = readFile(path, 'workflow file');
  const ext = extname(path).toLowerCase();
  let parsed: unknown;
  try {
    parsed = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${path} must hold a workflow object`);
  const doc = parsed as Record<string, unknown>;
  if (BODY_KEYS.some((k) => k in doc)) {
    const definition = doc.definition as { metadata?: { name?: unknown } } | string | undefined;
    const fromDefinition = typeof definition === 'object' && typeof definition?.metadata?.name === 'string' ? definition.metadata.name : undefined;
    return { body: doc, name: typeof doc.name === 'string' ? doc.name : fromDefinition };
  }
  if (FLOWRUNNER_KEYS.some((k) => k in doc)) {
    const metadata = doc.metadata as { name?: unknown } | undefined;
    return { body: { definition: ext === '.json' ? doc : text }, name: typeof metadata?.name === 'string' ? metadata.name : undefined };
  }
  throw new UsageError(`${path}: not a workflow (expected FlowRunner metadata/nodes, FlowCtl tasks or CloudFlow steps)`);
}
