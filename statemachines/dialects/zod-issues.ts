import type { z } from 'zod';
import { joinPath, type IssueCode, type ValidationIssue } from '../issues.ts';

/**
 * zod issues → ValidationIssues with full request paths. `fieldBase` names the field relative to the node
 * (`params`, `payload`, or '' for CloudFlow's inline params), so `field` reads like `params.url`.
 */
export function zodIssues(
  error: z.ZodError,
  basePath: string,
  node?: string,
  fieldBase?: string,
  defaultCode: IssueCode = 'invalid_definition',
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of error.issues) {
    const segments = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const full = key === undefined ? segments : [...segments, key];
      const relative = joinPath(fieldBase ?? '', ...full);
      const params = (issue as { params?: Record<string, unknown> }).params;
      const code: IssueCode = params?.expression ? 'invalid_expression' : params?.duration ? 'invalid_duration' : defaultCode;
      const text = issue.message.endsWith('received undefined') ? 'is required' : issue.message;
      const message =
        key !== undefined
          ? `unknown field "${key}"${relative && relative !== key ? ` (${relative})` : ''}`
          : `${relative || 'value'}: ${text}`;
      out.push({ path: joinPath(basePath, ...full), ...(node ? { node } : {}), ...(relative ? { field: relative } : {}), code, message });
    }
  }
  return out;
}
