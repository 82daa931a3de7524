import type { MiddlewareObj } from '@middy/core';
import { AppError } from '../../core/errors.ts';
import { formatJsonPath, inspectJson, MAX_JSON_DEPTH } from '../../../statemachines/json-limits.ts';
import type { HttpEvent, HttpResponse, PipelineState } from '../types.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Decodes the body: JSON by default, form-encoded when declared (OAuth clients send that). A body
 * over 1 MB is 413 before it is parsed; malformed JSON is 400 `invalid_json`, never a 500.
 */
export function jsonBody(): MiddlewareObj<HttpEvent, HttpResponse, Error> {
  return {
    name: 'jsonBody',
    before: (request) => {
      const state = request.internal as PipelineState;
      const { body: raw, isBase64Encoded } = request.event;
      if (raw === null || raw === undefined || raw === '') {
        state.body = undefined;
        return;
      }
      const text = isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
        throw new AppError('payload_too_large', `The request body exceeds ${MAX_BODY_BYTES} bytes`, {
          details: { max_bytes: MAX_BODY_BYTES },
        });
      }
      const contentType = (state.headers['content-type'] ?? '').toLowerCase();
      // curl -d without -H sends form encoding even for JSON text; trust the text's first character.
      const looksJson = /^\s*[[{"]/.test(text);
      if (contentType.startsWith('application/x-www-form-urlencoded') && !looksJson) {
        state.body = Object.fromEntries(new URLSearchParams(text));
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        // V8's message quotes the body around the error, and bodies carry secrets: keep only the position.
        const position = /position (\d+)/.exec((error as Error).message)?.[1];
        throw new AppError('invalid_json', `The request body is not valid JSON${position ? ` (at position ${position})` : ''}`);
      }
      // Before anything recursive (validation, copying, storing) sees it: DynamoDB stores 32 levels at most.
      const problem = inspectJson(body);
      if (problem && problem.kind !== 'size') {
        const field = String(problem.path[0] ?? '');
        const at = formatJsonPath(problem.path);
        throw new AppError(
          'validation_error',
          problem.kind === 'depth'
            ? `${field || 'The request body'} is nested too deeply (at ${at || 'the top'}): request bodies may nest at most ${MAX_JSON_DEPTH} levels`
            : `__proto__ may not be used as a key (at ${at})`,
          { ...(field ? { field } : {}), details: { path: at, ...(problem.kind === 'depth' ? { max_depth: MAX_JSON_DEPTH } : {}) } },
        );
      }
      state.body = body;
    },
  };
}
