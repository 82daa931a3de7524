import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCS_ASSETS, DOCS_ASSETS_DIR } from '../../lib/definitions/docs-assets.ts';

const cache = new Map<string, string>();

/**
 * One docs asset's text: from the copy next to the Lambda bundle (lib/api-stack.ts puts it there),
 * else from node_modules (local mode). Undefined for a name that is not a docs asset.
 */
export function readDocsAsset(name: string): string | undefined {
  const asset = Object.hasOwn(DOCS_ASSETS, name) ? DOCS_ASSETS[name] : undefined;
  if (!asset) return undefined;
  let text = cache.get(name);
  if (text === undefined) {
    const bundled = join(dirname(fileURLToPath(import.meta.url)), DOCS_ASSETS_DIR, name);
    try {
      text = readFileSync(bundled, 'utf8');
    } catch {
      text = readFileSync(createRequire(import.meta.url).resolve(asset.source), 'utf8');
    }
    cache.set(name, text);
  }
  return text;
}
