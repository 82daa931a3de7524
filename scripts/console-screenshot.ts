/**
 * `node --import tsx scripts/console-screenshot.ts`: the README's picture of the console's
 * execution page (docs/console-execution.png), taken from a real run. It starts the local server
 * exactly as `npm start` does (on a fresh data folder and its own DynamoDB Local), signs up through
 * the console's own form in Debian's Chromium, creates and runs a workflow that fans out, waits and
 * calls a loopback HTTP service, and photographs the run's page once every node has completed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startLoopbackTarget } from './bench/loopback-target.ts';
import { buildConsole } from './build-console.ts';
import { startLocalServerProcess } from './local-server-process.ts';

const OUT = fileURLToPath(new URL('../docs/console-execution.png', import.meta.url));
const PASSWORD = 'correct horse battery staple';

await buildConsole({ quiet: true });
const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-screenshot-'));
const target = await startLoopbackTarget();
const server = await startLocalServerProcess({ env: { STEPWISE_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: undefined }, readyTimeoutMs: 120_000 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, baseURL: server.url });
  page.setDefaultTimeout(60_000);
  await page.goto('/#/register');
  await page.getByLabel('Username').fill('ada');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Register and sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Workflows' }).waitFor();
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('stepwise.session') ?? '{}').token as string);

  const api = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}/api/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const workflow = await api('/workflows', {
    name: 'Order follow-up',
    definition: {
      nodes: {
        order: { type: 'transform', params: { expression: '{"id": input.order_id, "email": input.email}' }, next: ['crm', 'invoice'] },
        crm: { type: 'http.request', params: { url: `${target.url}/crm`, method: 'POST' }, next: 'cool_off' },
        invoice: { type: 'transform', params: { expression: '{"invoice": "INV-" & $string(input.order_id)}' }, next: 'cool_off' },
        cool_off: { type: 'wait', params: { seconds: 2 }, next: 'notify' },
        notify: { type: 'http.request', params: { url: `${target.url}/notify`, method: 'POST' } },
      },
    },
  });
  const run = await api(`/workflows/${String(workflow.id)}/run`, { input: { order_id: 4711, email: 'ada@example.com' } });
  await page.goto(`/#/executions/${String(run.execution_id)}`);
  await page.getByTestId('execution-status').getByText('completed').waitFor();
  await page.getByTestId('log').getByText('Execution completed').waitFor();
  await page.getByTestId('dag').locator('[data-node="invoice"]').click();
  await page.getByTestId('node-details').waitFor();
  // No hover or focus ring from the click in the picture.
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: OUT });
  console.info(`wrote ${OUT}`);
} finally {
  await browser.close();
  await server.stop();
  await target.close();
  rmSync(dataDir, { recursive: true, force: true });
}
