import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRouteDocs } from '../../scripts/route-docs.ts';

describe('docs/routes.md', () => {
  it('matches the route table (regenerate with `node --import tsx scripts/route-docs.ts`)', () => {
    expect(readFileSync(new URL('../../docs/routes.md', import.meta.url), 'utf8')).toBe(renderRouteDocs());
  });
});
