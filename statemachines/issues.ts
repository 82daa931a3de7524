/** Validation findings. Everything in statemachines/ reports problems as values, never by throwing. */

export type IssueCode =
  | 'invalid_definition'
  | 'unknown_dialect'
  | 'ambiguous_dialect'
  | 'invalid_yaml'
  | 'definition_too_large'
  | 'too_many_nodes'
  | 'invalid_id'
  | 'duplicate_id'
  | 'unknown_type'
  | 'invalid_params'
  | 'invalid_expression'
  | 'invalid_duration'
  | 'unknown_dependency'
  | 'unknown_next'
  | 'cycle'
  | 'unreachable_node'
  | 'unstructured_choice'
  | 'invalid_template'
  | 'invalid_template_reference'
  | 'secret_not_allowed'
  | 'reserved_key'
  | 'too_deep'
  | 'too_many_aliases'
  | 'compiled_too_large'
  | 'history_limit';

export interface ValidationIssue {
  /** Where in the request body, e.g. `definition.nodes.fetch.params.url`, `tasks[2].dependencies[0]`, `steps[1].url`. */
  path: string;
  /** The node (task, step) the problem belongs to, when there is one. */
  node?: string;
  /** The offending field relative to the node, e.g. `params.url`, `dependencies`, `next`. */
  field?: string;
  code: IssueCode;
  message: string;
  /** Warnings do not block saving or compiling; errors do. */
  severity?: 'error' | 'warning';
}

export const isError = (issue: ValidationIssue) => issue.severity !== 'warning';

/** Joins path segments the way JavaScript would index them: `a.b[2].c`. */
export function joinPath(base: string, ...segments: Array<string | number>): string {
  let out = base;
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
