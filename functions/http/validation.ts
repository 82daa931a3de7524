import type { z } from 'zod';
import { AppError } from '../core/errors.ts';

/**
 * Parses one part of the request. The first issue becomes the error: its path is the `field`, and
 * every issue is listed in `details.issues` so clients can show them all.
 */
export function parsePart<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'query' | 'path'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ field: fieldOf(issue, part), message: issue.message }));
  const first = issues[0] ?? { field: part, message: 'Invalid value' };
  return raise(first.field, first.message, issues);
}

function raise(field: string, message: string, issues: { field: string; message: string }[]): never {
  throw new AppError('validation_error', `${field}: ${message}`, { field, details: { issues } });
}

function fieldOf(issue: z.core.$ZodIssue, part: string): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') path.push(issue.keys[0] ?? '');
  return path.length ? path.join('.') : part;
}
