import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_DOCUMENT_FILE } from '../../lib/definitions/docs-assets.ts';

/**
 * The OpenAPI document CDK generated at synth and put next to the system function's bundle
 * (lib/api-stack.ts). This module is imported statically, so in the bundle it sits in the entry
 * file, beside the document.
 */
export function readBundledApiDocument(dir: string = dirname(fileURLToPath(import.meta.url))): unknown {
  return JSON.parse(readFileSync(join(dir, API_DOCUMENT_FILE), 'utf8'));
}
