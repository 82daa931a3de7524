import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../lib/api.ts';
import type { ApiIssue, Validation } from '../lib/api-types.ts';
import { graphOfIr } from '../lib/graph.ts';
import { useDebounced } from '../lib/hooks.ts';
import { parseBody, rangeOfPath } from '../lib/yaml-paths.ts';
import { stringify } from 'yaml';
import type { Diagnostic } from './code-editor.tsx';
import { Dag } from './dag.tsx';
import { lazyComponent } from './lazy.tsx';
import { ErrorNotice } from './ui.tsx';

const CodeEditor = lazyComponent(() => import('./code-editor.tsx'), 'editor');

/** The body fields POST /workflows/validate takes (ValidateWorkflowBody); the rest (description, tags) only matter when saving. */
const VALIDATE_FIELDS = ['name', 'definition', 'tasks', 'config', 'trigger', 'steps'] as const;

export const TEMPLATES = {
  'FlowRunner graph': {
    name: 'Hello graph',
    description: 'A FlowRunner graph: nodes with next',
    definition: {
      metadata: { name: 'Hello graph' },
      nodes: {
        greet: { type: 'transform', params: { expression: '"Hello, " & $string(input.name)' }, next: 'pause' },
        pause: { type: 'wait', params: { seconds: 1 }, next: 'done' },
        done: { type: 'pass' },
      },
    },
  },
  'FlowCtl DAG': {
    name: 'Hello DAG',
    tasks: [
      { name: 'extract', type: 'transform', payload: { expression: 'input' } },
      { name: 'left', type: 'pass', dependencies: ['extract'] },
      { name: 'right', type: 'pass', dependencies: ['extract'] },
      { name: 'join', type: 'pass', dependencies: ['left', 'right'] },
    ],
    config: { max_concurrency: 4 },
  },
  'CloudFlow steps': {
    name: 'Hello steps',
    trigger: { type: 'manual' },
    steps: [
      { type: 'transform', id: 'shape', expression: '{"greeting": "Hello"}' },
      { type: 'pass', id: 'finish' },
    ],
  },
} as const;

export interface EditorIssue {
  node?: string | undefined;
  field?: string | undefined;
  message: string;
  severity: 'error' | 'warning';
}

export function toText(body: unknown, format: 'yaml' | 'json'): string {
  return format === 'json' ? `${JSON.stringify(body, null, 2)}\n` : stringify(body, { lineWidth: 0 });
}

/**
 * Edit a workflow as its request body, in YAML or JSON, in any of the three dialects. Every pause
 * in typing sends the body to POST /workflows/validate; issues appear in the editor at the text
 * they name, on their node in the graph, and in a list under the editor.
 */
export function WorkflowEditor({ initial, submitLabel, onSubmit, busy, submitError }: { initial: unknown; submitLabel: string; onSubmit: (body: Record<string, unknown>) => void; busy: boolean; submitError: unknown }) {
  const [format, setFormat] = useState<'yaml' | 'json'>('yaml');
  const [text, setText] = useState(() => toText(initial, 'yaml'));
  const settled = useDebounced(text, 350);
  const parsed = useMemo(() => parseBody(settled), [settled]);
  const [result, setResult] = useState<{ validation?: Validation; issues: ApiIssue[]; error?: unknown; checking: boolean; text?: string }>({ issues: [], checking: false });
  const [lastGraph, setLastGraph] = useState<ReturnType<typeof graphOfIr>>();
  const generation = useRef(0);

  useEffect(() => {
    if (parsed.errors.length || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) return;
    const body = Object.fromEntries(Object.entries(parsed.value).filter(([k]) => (VALIDATE_FIELDS as readonly string[]).includes(k)));
    const mine = ++generation.current;
    setResult((r) => ({ ...r, checking: true }));
    api.post<Validation>('/workflows/validate', body).then(
      (validation) => {
        if (mine !== generation.current) return;
        setResult({ validation, issues: [], checking: false, text: settled });
        setLastGraph(graphOfIr(validation.ir));
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        if (error instanceof ApiError && error.status === 400) setResult({ issues: error.issues.length ? error.issues : [{ field: error.field, code: error.code, message: error.message }], checking: false, text: settled });
        else setResult({ issues: [], error, checking: false, text: settled });
      },
    );
  }, [parsed]);

  const issues: EditorIssue[] = useMemo(() => {
    if (parsed.errors.length) return parsed.errors.map((e) => ({ message: e.message, severity: 'error' as const }));
    if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) return [{ message: 'The body must be a mapping (name, definition | tasks | steps, …)', severity: 'error' }];
    if (result.text !== settled) return [];
    const errors = result.issues.map((i) => ({ node: i.node, field: i.field, message: i.message, severity: 'error' as const }));
    const warnings = (result.validation?.warnings ?? []).map((w) => ({ field: w.path, node: nodeOfPath(w.path), message: w.message, severity: 'warning' as const }));
    return [...errors, ...warnings];
  }, [parsed, result, settled]);

  const diagnostics: Diagnostic[] = useMemo(() => {
    if (parsed.errors.length) return parsed.errors.map((e) => ({ from: e.from, to: e.to, severity: 'error', message: e.message }));
    return issues.flatMap((issue) => {
      const range = issue.field ? rangeOfPath(parsed.doc, issue.field) : undefined;
      return [{ from: range?.from ?? 0, to: range?.to ?? 1, severity: issue.severity, message: issue.message }];
    });
  }, [issues, parsed]);

  const graph = useMemo(() => {
    if (!lastGraph) return undefined;
    const byNode = new Map<string, string[]>();
    for (const issue of issues) if (issue.node && issue.severity === 'error') byNode.set(issue.node, [...(byNode.get(issue.node) ?? []), issue.message]);
    return { edges: lastGraph.edges, nodes: lastGraph.nodes.map((n) => ({ ...n, issues: byNode.get(n.id) })) };
  }, [lastGraph, issues]);

  const valid = !parsed.errors.length && result.text === settled && !!result.validation && settled === text;
  const switchFormat = (next: 'yaml' | 'json') => {
    if (next === format) return;
    const now = parseBody(text);
    if (!now.errors.length) setText(toText(now.value, next));
    setFormat(next);
  };

  return (
    <div class="editor-layout">
      <section class="editor-pane" aria-labelledby="definition-heading">
        <div class="row between">
          <h2 id="definition-heading">Definition</h2>
          <div class="row" role="group" aria-label="Format">
            <button type="button" class="secondary" aria-pressed={format === 'yaml'} onClick={() => switchFormat('yaml')}>
              YAML
            </button>
            <button type="button" class="secondary" aria-pressed={format === 'json'} onClick={() => switchFormat('json')}>
              JSON
            </button>
          </div>
        </div>
        <div class="row wrap small">
          <span class="muted">Start from:</span>
          {Object.entries(TEMPLATES).map(([name, body]) => (
            <button key={name} type="button" class="link" onClick={() => setText(toText(body, format))}>
              {name}
            </button>
          ))}
        </div>
        <CodeEditor value={text} onChange={setText} language={format} diagnostics={diagnostics} label="Workflow definition (request body)" />
        <div aria-live="polite" class="validation-state" data-testid="validation-state">
          {text !== settled || result.checking ? 'Checking…' : issues.some((i) => i.severity === 'error') ? `${issues.filter((i) => i.severity === 'error').length} issue(s)` : valid ? 'Valid' : ''}
        </div>
        <ErrorNotice error={result.error} title="Could not validate" />
        {issues.length > 0 && (
          <ul class="issues" aria-label="Validation issues" data-testid="issues">
            {issues.map((issue, i) => (
              <li key={i} class={`issue issue-${issue.severity}`}>
                <span class="badge">{issue.severity}</span> {issue.node && <code>{issue.node}</code>} {issue.message}
                {issue.field && <span class="muted small"> ({issue.field})</span>}
              </li>
            ))}
          </ul>
        )}
        <ErrorNotice error={submitError} title="Could not save the workflow" />
        <div class="row">
          <button type="button" disabled={busy || !valid} onClick={() => onSubmit(parsed.value as Record<string, unknown>)}>
            {submitLabel}
          </button>
        </div>
      </section>
      <section class="graph-pane" aria-labelledby="graph-heading">
        <h2 id="graph-heading">Graph</h2>
        {graph ? <Dag nodes={graph.nodes} edges={graph.edges} label="Workflow graph" /> : <p class="empty">The graph appears once the definition is valid.</p>}
      </section>
    </div>
  );
}

/** The node a warning path is about: `definition.nodes.<id>…`, or the tasks/steps index is not resolvable here. */
function nodeOfPath(path: string): string | undefined {
  return /(?:^|\.)nodes\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(path)?.[1];
}
