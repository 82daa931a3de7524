import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateClientSchema, SCHEMA_FILE } from '../../scripts/client-generator/generate.ts';

describe('the generated client', () => {
  it('matches the OpenAPI document (run `npm run generate:client` after changing a route or schema)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8') === (await generateClientSchema()), 'client/schema.ts is stale: run npm run generate:client').toBe(true);
  });

  it('types every shape the document has: unknown only for free JSON (inputs, bodies, results) and header index signatures', () => {
    const lines = readFileSync(SCHEMA_FILE, 'utf8').split('\n');
    const loose = lines.filter((l) => /\bunknown\b/.test(l) && !/^\s*\[(name|key): string\]: unknown;$/.test(l));
    // Fields whose value is any JSON the caller chooses: run input, HTTP bodies, node outputs, and literal map items.
    const free = /^\s*(input|body|result|payload|items)\??: (string \| )?unknown(\[\])?;$/;
    expect(loose.filter((l) => !free.test(l))).toEqual([]);
  });
});
