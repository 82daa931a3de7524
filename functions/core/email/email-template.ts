/**
 * Email templates (CloudFlow's `tpl_welcome_v2`): a subject, a text and an HTML body with `{{var}}`
 * placeholders, filled per recipient by the `send_email` node. Pure: no I/O.
 */

export interface EmailTemplate {
  readonly accountId: string;
  readonly id: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const EMAIL_TEMPLATE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const EMAIL_TEMPLATE_ID_RULE = 'must be 1 to 64 letters, digits, "_" or "-"';
export const MAX_SUBJECT_CHARS = 998;
export const MAX_BODY_CHARS = 262_144;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

function lookup(vars: Record<string, unknown>, path: string): unknown {
  let value: unknown = vars;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const asText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** The placeholder names a template uses, for a dry run's report and for tests. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * Fills every `{{name}}` (or `{{a.b}}`) from `vars`; a missing value is empty text. Values are
 * HTML-escaped in the HTML body only, and line breaks are taken out of the subject, so a record's
 * data can neither inject markup nor add a mail header.
 */
export function renderEmail(template: Pick<EmailTemplate, 'subject' | 'text' | 'html'>, vars: Record<string, unknown>): { subject: string; text: string; html: string } {
  const fill = (text: string, encode: (s: string) => string) => text.replace(PLACEHOLDER, (_, name: string) => encode(asText(lookup(vars, name))));
  return {
    subject: fill(template.subject, (s) => s).replace(/[\r\n]+/g, ' '),
    text: fill(template.text, (s) => s),
    html: fill(template.html, escapeHtml),
  };
}

/** A plain address check (one @, no spaces or angle brackets, a dot in the domain): enough to refuse junk before a send. */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 320 && /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/.test(value);
}
