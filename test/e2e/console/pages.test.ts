/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiAt } from '../../support/api-client.ts';
import { eventually, waitForExecution } from '../../support/polling.ts';
import { expectAccessible, LAPTOP, launch, openConsole, PHONE, registerAndSignIn, settle, TIMEOUT, uniqueName, type BrowserSession, type ConsolePage } from './browser.ts';
import { Target } from './target.ts';

/**
 * Every page of the console in a real Chromium against the real local server: accessible (axe-core,
 * no serious or critical violation) and readable at a laptop and a phone width, user data shown
 * as text, and the tasks and settings flows.
 */
const baseUrl = inject('baseUrl');
/** Looks like markup; must only ever be shown as these characters. */
const HTML_NAME = '<img src=x onerror=alert(1)>';
let browser: BrowserSession;
let target: Target;
let targetUrl: string;

beforeAll(async () => {
  browser = await launch(baseUrl, 'pages');
  target = new Target();
  targetUrl = await target.start();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await target?.stop();
});

const tokenOf = (c: ConsolePage) => c.page.evaluate(() => JSON.parse(sessionStorage.getItem('stepwise.session') ?? '{}').token as string);

/** Nothing the API returned became an element: the markup-looking name is text wherever it shows. */
async function expectNoInjectedMarkup(c: ConsolePage) {
  expect(await c.page.locator('main img').count()).toBe(0);
  expect(await c.page.locator('main [onerror]').count()).toBe(0);
}

describe('console pages (Chromium)', { timeout: 240_000 }, () => {
  it('every page passes axe-core at laptop and phone widths, fits the phone screen, and shows user data as text', async () => {
    const c = await openConsole(browser);
    const page = c.page;

    // The two public pages.
    for (const viewport of [LAPTOP, PHONE]) {
      await page.setViewportSize(viewport);
      await page.goto('/#/login');
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await expectPageOk(c, 'sign-in', viewport);
      await page.goto('/#/register');
      await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
      await expectPageOk(c, 'register', viewport);
    }
    await page.setViewportSize(LAPTOP);
    await page.goto('/#/login');
    await registerAndSignIn(page, uniqueName('pages'));

    // Data for every page, through the API as this user; every name looks like markup.
    const client = apiAt(baseUrl, await tokenOf(c));
    const workflow = await client.post('/api/v1/workflows', {
      name: HTML_NAME,
      description: HTML_NAME,
      definition: {
        nodes: {
          shape: { type: 'transform', params: { expression: `{"echo": "${HTML_NAME}"}` }, next: 'call' },
          call: { type: 'http.request', params: { url: `${targetUrl}/ok` } },
        },
      },
    });
    expect(workflow.status, workflow.text).toBe(201);
    const run = await client.post(`/api/v1/workflows/${workflow.body.id}/run`, { input: { note: HTML_NAME } });
    expect(run.status, run.text).toBe(202);
    const executionId = run.body.execution_id as string;
    await waitForExecution(client, executionId, undefined, 60_000);
    expect((await client.post('/api/v1/tasks', { name: HTML_NAME, description: HTML_NAME, tags: ['markup'] })).status).toBe(201);
    const webhook = await client.post('/api/v1/webhooks', { url: `${targetUrl}/hook`, events: ['workflow.completed'], description: HTML_NAME });
    expect(webhook.status, webhook.text).toBe(201);
    expect((await client.post(`/api/v1/webhooks/${webhook.body.id}/test`)).status).toBe(202);
    expect(await eventually(async () => target.count('/hook'), (n) => n >= 1, { timeoutMs: TIMEOUT })).toBeGreaterThanOrEqual(1);

    const pages: Array<{ name: string; hash: string; heading: string | RegExp; ready?: () => Promise<unknown> }> = [
      { name: 'workflows', hash: '#/workflows', heading: 'Workflows', ready: () => page.getByRole('link', { name: HTML_NAME }).first().waitFor() },
      { name: 'workflow-new', hash: '#/workflows/new', heading: 'New workflow', ready: () => page.getByTestId('definition-editor').waitFor() },
      {
        name: 'workflow',
        hash: `#/workflows/${workflow.body.id}`,
        heading: HTML_NAME,
        ready: async () => {
          await page.getByTestId('dag').locator('[data-node="call"]').waitFor();
          await page.getByTestId('insight').waitFor();
          await page.locator('.chart canvas').first().waitFor();
        },
      },
      { name: 'workflow-edit', hash: `#/workflows/${workflow.body.id}/edit`, heading: `Edit ${HTML_NAME}`, ready: () => page.getByTestId('definition-editor').waitFor() },
      { name: 'executions', hash: '#/executions', heading: 'Executions', ready: () => page.getByRole('link', { name: HTML_NAME }).first().waitFor() },
      {
        name: 'execution',
        hash: `#/executions/${executionId}`,
        heading: `Run of ${HTML_NAME}`,
        ready: async () => {
          await page.getByTestId('log').getByText('Execution completed').waitFor();
          await expect.poll(() => page.getByTestId('timeline').locator('.bar').count(), { timeout: TIMEOUT }).toBe(2);
          // A selected node and its details are part of the page checked.
          await page.getByTestId('dag').locator('[data-node="shape"]').click();
          await page.getByTestId('node-details').getByText(HTML_NAME, { exact: false }).first().waitFor();
        },
      },
      { name: 'tasks', hash: '#/tasks', heading: 'Tasks', ready: () => page.getByRole('table').getByText(HTML_NAME).first().waitFor() },
      { name: 'webhooks', hash: '#/webhooks', heading: 'Webhooks', ready: () => page.getByText(HTML_NAME).first().waitFor() },
      { name: 'webhook', hash: `#/webhooks/${webhook.body.id}`, heading: /^Webhook/, ready: () => page.getByRole('region', { name: 'Deliveries table' }).locator('tbody tr').first().waitFor() },
      { name: 'settings', hash: '#/settings', heading: 'Settings', ready: () => page.getByRole('heading', { level: 2, name: 'OAuth clients' }).waitFor() },
    ];
    for (const viewport of [LAPTOP, PHONE]) {
      await page.setViewportSize(viewport);
      for (const p of pages) {
        await visit(c, p.hash);
        await page.getByRole('heading', { level: 1, name: p.heading, exact: typeof p.heading === 'string' }).waitFor();
        await p.ready?.();
        await expectPageOk(c, p.name, viewport);
      }
    }
    expect(c.problems).toEqual([]);
    await page.close();
  });

  it('works from the keyboard: the skip link, graph nodes, and an editor that never traps Tab', async () => {
    const c = await openConsole(browser);
    const page = c.page;
    await registerAndSignIn(page, uniqueName('keys'));
    const client = apiAt(baseUrl, await tokenOf(c));
    const workflow = await client.post('/api/v1/workflows', { name: 'Keyboard', tasks: [{ name: 'only', type: 'pass' }] });
    expect(workflow.status, workflow.text).toBe(201);
    const run = await client.post(`/api/v1/workflows/${workflow.body.id}/run`, { input: {} });
    expect(run.status, run.text).toBe(202);
    await waitForExecution(client, run.body.execution_id, undefined, 60_000);

    await visit(c, `#/executions/${run.body.execution_id}`);
    await page.getByRole('heading', { level: 1, name: 'Run of Keyboard' }).waitFor();
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    // A node is a button: focus it, press Enter, and its details open.
    await page.getByTestId('dag').locator('[data-node="only"]').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('node-details').waitFor();
    await expect.poll(() => page.getByTestId('dag').locator('[data-node="only"]').getAttribute('aria-pressed')).toBe('true');

    // Tab moves out of the definition editor instead of inserting a tab.
    await visit(c, '#/workflows/new');
    const editor = page.getByTestId('definition-editor');
    await editor.focus();
    const before = await editor.textContent();
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).not.toBe('definition-editor');
    expect(await editor.textContent()).toBe(before);
    expect(c.problems).toEqual([]);
    await page.close();
  });

  it('tasks: create, filter, edit, complete, page through and delete; a markup-looking name stays text', async () => {
    const c = await openConsole(browser);
    const page = c.page;
    await registerAndSignIn(page, uniqueName('tasks'));
    const client = apiAt(baseUrl, await tokenOf(c));
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Tasks' }).waitFor();
    await page.getByText('No tasks match.').waitFor();

    // Create through the form.
    await page.getByRole('button', { name: 'New task' }).click();
    const form = page.getByRole('form', { name: 'New task' });
    await form.getByLabel('Name').fill(HTML_NAME);
    await form.getByLabel('Description').fill('<b>not bold</b>');
    await form.getByLabel('Priority').selectOption('high');
    await form.getByLabel('Due date').fill('2031-05-17');
    await form.getByLabel('Tags (comma-separated)').fill('markup, console');
    await form.getByRole('button', { name: 'Create task' }).click();
    await form.waitFor({ state: 'detached' });
    const rows = page.getByRole('table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(1);
    await rows.first().locator('.strong').getByText(HTML_NAME, { exact: true }).waitFor();
    await rows.first().getByText('<b>not bold</b>', { exact: true }).waitFor();
    await expectNoInjectedMarkup(c);
    expect(await page.locator('main b').count()).toBe(0);
    const [stored] = (await client.get('/api/v1/tasks')).body.data;
    expect(stored).toMatchObject({ name: HTML_NAME, description: '<b>not bold</b>', priority: 'high', tags: ['markup', 'console'], status: 'pending' });
    expect(stored.due_date).toMatch(/^2031-05-17T/);

    // A form error is the API's own message.
    await page.getByRole('button', { name: 'New task' }).click();
    await form.getByLabel('Name').fill('x'.repeat(300));
    await form.getByRole('button', { name: 'Create task' }).click();
    await form.getByRole('alert').getByText(/name/i).first().waitFor();
    await form.getByRole('button', { name: 'Cancel' }).click();

    // More than a page of tasks (20 a page), made through the API.
    for (let i = 0; i < 21; i++) {
      const made = await client.post('/api/v1/tasks', { name: `bulk ${String(i).padStart(2, '0')}`, priority: 'low', tags: ['bulk'] });
      expect(made.status, made.text).toBe(201);
    }
    await page.reload();
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(20);
    const pager = page.getByRole('navigation', { name: 'Tasks pages' });
    await pager.getByText('1–20 of 22').waitFor();
    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText('21–22 of 22').waitFor();
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(2);
    await pager.getByRole('button', { name: 'Previous' }).click();
    await pager.getByText('1–20 of 22').waitFor();

    // Filters go to the API and into the address (a reload keeps them).
    await page.getByRole('form', { name: 'Filter tasks' }).getByLabel('Priority').selectOption('high');
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(1);
    expect(page.url()).toContain('priority=high');
    await page.reload();
    await rows.first().locator('.strong').getByText(HTML_NAME, { exact: true }).waitFor();
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(1);
    await page.getByRole('form', { name: 'Filter tasks' }).getByLabel('Priority').selectOption('');
    const tag = page.getByRole('form', { name: 'Filter tasks' }).getByLabel('Tag');
    await tag.fill('markup');
    await tag.press('Enter');
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(1);
    await tag.fill('');
    await tag.press('Enter');
    await page.getByRole('form', { name: 'Filter tasks' }).getByLabel('Due before').fill('2031-06-01');
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(1);
    await page.getByRole('form', { name: 'Filter tasks' }).getByLabel('Due before').fill('');
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(20);

    // Edit, then complete, the markup-named task.
    await page.getByRole('form', { name: 'Filter tasks' }).getByLabel('Tag').fill('markup');
    await page.getByRole('form', { name: 'Filter tasks' }).getByLabel('Tag').press('Enter');
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(1);
    await rows.first().getByRole('button', { name: `Edit ${HTML_NAME}` }).click();
    const edit = page.getByRole('form', { name: `Edit task ${HTML_NAME}` });
    await edit.getByLabel('Status').selectOption('in_progress');
    await edit.getByLabel('Description').fill('started');
    await edit.getByRole('button', { name: 'Save task' }).click();
    await edit.waitFor({ state: 'detached' });
    await rows.first().getByText('started', { exact: true }).waitFor();
    await rows.first().getByText('In progress').waitFor();
    await rows.first().getByRole('button', { name: `Complete ${HTML_NAME}` }).click();
    await rows.first().getByText('Completed').waitFor();
    await expect.poll(async () => (await client.get('/api/v1/tasks?tag=markup')).body.data[0].status, { timeout: TIMEOUT }).toBe('completed');
    await page.getByRole('form', { name: 'Filter tasks' }).getByLabel('Status').selectOption('completed');
    await expect.poll(() => rows.count(), { timeout: TIMEOUT }).toBe(1);
    await expectAccessible(page, 'tasks (filtered)');
    await c.shot('tasks-flow');

    // Delete (the confirm dialog is accepted).
    await rows.first().getByRole('button', { name: `Delete ${HTML_NAME}` }).click();
    await page.getByText('No tasks match.').waitFor();
    expect((await client.get('/api/v1/tasks?tag=markup')).body.data).toEqual([]);
    await expectNoInjectedMarkup(c);
    expect(c.problems).toEqual([]);
    await page.close();
  });

  it('settings: a secret is write-only, an API key and an OAuth client secret are shown once', async () => {
    const c = await openConsole(browser);
    const page = c.page;
    await registerAndSignIn(page, uniqueName('settings'));
    const client = apiAt(baseUrl, await tokenOf(c));
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

    // A secret: its value goes in once and never comes back, here or through the API.
    const value = `s3cr3t-${uniqueName('v')}`;
    const secretForm = page.getByRole('form', { name: 'New secret' });
    await secretForm.getByLabel('Key').fill('TARGET_TOKEN');
    await secretForm.getByLabel('Value').fill(value);
    await secretForm.getByRole('button', { name: 'Add secret' }).click();
    const secrets = page.getByRole('region', { name: 'Secrets table' });
    await secrets.getByRole('cell', { name: 'TARGET_TOKEN', exact: true }).waitFor();
    await expect.poll(() => secretForm.getByLabel('Value').inputValue()).toBe('');
    expect(await page.content()).not.toContain(value);
    const listed = await client.get(`/api/v1/accounts/${(await client.get('/api/v1/me')).body.account_id}/secrets`);
    expect(listed.text).not.toContain(value);
    expect(listed.body.data.map((s: { key: string }) => s.key)).toEqual(['TARGET_TOKEN']);

    // Replacing the value: still never shown.
    await secrets.getByRole('button', { name: 'Replace value of TARGET_TOKEN' }).click();
    const replace = page.getByRole('form', { name: 'Replace the value of TARGET_TOKEN' });
    await replace.getByLabel('Value').fill(`${value}-2`);
    await replace.getByRole('button', { name: 'Replace value' }).click();
    await page.getByRole('form', { name: 'New secret' }).waitFor();
    expect(await page.content()).not.toContain(value);

    // An API key: the key once, then only its prefix.
    const keyForm = page.getByRole('form', { name: 'New API key' });
    await keyForm.getByLabel('Name').fill('ci key');
    await keyForm.getByRole('checkbox', { name: 'tasks:read' }).check();
    await keyForm.getByRole('button', { name: 'Create API key' }).click();
    const once = page.getByTestId('one-time-secret');
    const key = (await once.locator('code').textContent()) ?? '';
    expect(key).toMatch(/^sk_/);
    expect((await apiAt(baseUrl).get('/api/v1/tasks', { 'X-API-Key': key })).status).toBe(200);
    await page.getByRole('region', { name: 'API keys table' }).getByRole('cell', { name: 'ci key', exact: true }).waitFor();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await once.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(key);
    await page.reload();
    await page.getByRole('region', { name: 'API keys table' }).getByText('workflows:read, tasks:read').waitFor();
    expect(await page.content()).not.toContain(key);

    // An OAuth client: its secret once.
    const clientForm = page.getByRole('form', { name: 'New OAuth client' });
    await clientForm.getByLabel('Name').fill('reporting');
    await clientForm.getByRole('button', { name: 'Create OAuth client' }).click();
    const clientSecret = (await once.locator('code').textContent()) ?? '';
    expect(clientSecret.length).toBeGreaterThan(16);
    await page.getByRole('region', { name: 'OAuth clients table' }).getByRole('cell', { name: 'reporting', exact: true }).waitFor();
    await expectAccessible(page, 'settings with a one-time secret');
    await c.shot('settings-flow');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await once.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(clientSecret);

    // Revoking the key ends it.
    await page.getByRole('button', { name: 'Revoke ci key' }).click();
    await page.getByText('No API keys yet.').waitFor();
    await expect.poll(async () => (await apiAt(baseUrl).get('/api/v1/tasks', { 'X-API-Key': key })).status, { timeout: TIMEOUT }).toBe(401);
    expect(c.problems).toEqual([]);
    await page.close();
  });
});

/** Goes to a console route; the same route again reloads, so the page reads the API afresh. */
async function visit(c: ConsolePage, hash: string) {
  const url = new URL(`/${hash}`, baseUrl).href;
  if (c.page.url() === url) await c.page.reload();
  else await c.page.goto(url);
}

/** axe-core, no sideways scrolling at phone width, a screenshot, and nothing the API said turned into markup. */
async function expectPageOk(c: ConsolePage, name: string, viewport: { width: number }) {
  await settle(c.page);
  const width = viewport === PHONE ? 'phone' : 'laptop';
  await expectAccessible(c.page, `${name} (${width})`);
  // Wide tables scroll inside their own region (ui.tsx Scroll); the page itself never does.
  const overflow = await c.page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > limit + 1 && !el.parentElement?.closest('.scroll, .cm-scroller, .dag-scroll'))
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { by: document.documentElement.scrollWidth - limit, wide: wide.slice(0, 8) };
  });
  expect(overflow.by, `${name} (${width}) scrolls sideways; wide: ${overflow.wide.join(', ')}`).toBe(0);
  await expectNoInjectedMarkup(c);
  await c.shot(`${name}-${width}`);
}
