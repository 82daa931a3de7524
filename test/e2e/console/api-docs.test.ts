import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROUTES } from '../../../lib/definitions/routes.ts';
import { launch, openConsole, TIMEOUT, type BrowserSession, type ConsolePage } from './browser.ts';

/**
 * Behflow's interactive API docs (/docs: Swagger UI, /redoc: ReDoc) drawn by a real Chromium from
 * the assets Stepwise serves itself (lib/definitions/docs-assets.ts): every operation of the
 * OpenAPI document shows, nothing is fetched from another origin (no CDN), and no script error.
 */
const baseUrl = inject('baseUrl');
let browser: BrowserSession;

beforeAll(async () => {
  browser = await launch(baseUrl, 'api-docs');
}, 90_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens `path`, recording every URL the page fetched (a request the page's policy refused never finishes). */
async function open(path: string): Promise<{ c: ConsolePage; requested: string[] }> {
  const c = await openConsole(browser);
  const requested: string[] = [];
  c.page.on('requestfinished', (r) => requested.push(r.url()));
  await c.page.goto(path);
  return { c, requested };
}

const operations = ROUTES.filter((r) => r.path.startsWith('/api/'));

describe('API docs in Chromium', { timeout: 180_000 }, () => {
  it('/docs draws Swagger UI with every operation of the document, from Stepwise’s own assets', async () => {
    const { c, requested } = await open('/docs');
    await c.page.locator('.opblock').first().waitFor({ timeout: TIMEOUT });
    const drawn = await c.page.locator('.opblock').count();
    const documented = Object.values((await (await fetch(`${baseUrl}/openapi.json`)).json()).paths as Record<string, object>).reduce<number>(
      (n, item) => n + Object.keys(item).filter((k) => ['get', 'put', 'post', 'patch', 'delete'].includes(k)).length,
      0,
    );
    expect(drawn).toBe(documented);
    expect(await c.page.locator('.opblock-post .opblock-summary-path', { hasText: /^\/api\/v1\/tasks$/ }).count()).toBe(1);
    expect(await c.page.getByText('Create a task', { exact: true }).count()).toBeGreaterThan(0);
    await c.shot('swagger-ui');
    expect(requested.filter((u) => !u.startsWith(baseUrl))).toEqual([]);
    expect(c.problems).toEqual([]);
    await c.page.close();
  });

  it('/redoc draws ReDoc with the operations’ summaries, from Stepwise’s own assets', async () => {
    const { c, requested } = await open('/redoc');
    await c.page.getByRole('heading', { name: 'Create a task' }).first().waitFor({ timeout: TIMEOUT });
    for (const summary of ['List tasks (filters, pagination)', operations.find((r) => r.operation === 'createWorkflow')!.summary]) {
      expect(await c.page.getByRole('heading', { name: summary }).count(), summary).toBeGreaterThan(0);
    }
    await c.shot('redoc');
    expect(requested.filter((u) => !u.startsWith(baseUrl) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
    // ReDoc's "API docs by Redocly" footer points an <img> at its CDN, and the page's policy
    // (img-src 'self' data:) refuses that image, which is the point: nothing leaves for another origin.
    const others = c.problems.filter((p) => !/img-src.*https:\/\/cdn\.redoc\.ly\/|https:\/\/cdn\.redoc\.ly\/.*img-src/.test(p));
    expect(others).toEqual([]);
    await c.page.close();
  });
});
