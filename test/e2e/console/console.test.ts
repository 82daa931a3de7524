/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiAt } from '../../support/api-client.ts';
import { eventually } from '../../support/polling.ts';
import { launch, openConsole, registerAndSignIn, TIMEOUT, uniqueName, type BrowserSession, type ConsolePage } from './browser.ts';
import { Target } from './target.ts';

/**
 * The console in a real Chromium against the real local server (the one `npm start` runs, with
 * DynamoDB Local and the ASL engine): the flows the console exists for, as a user clicks them.
 */
const baseUrl = inject('baseUrl');
let browser: BrowserSession;
let target: Target;
let targetUrl: string;

beforeAll(async () => {
  browser = await launch(baseUrl, 'flows');
  target = new Target();
  targetUrl = await target.start();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await target?.stop();
});

/**
 * Replaces the CodeMirror editor's document: playwright selects the editor's contents and inserts
 * the text in one input event, which the editor turns into one transaction (code-editor.tsx), so
 * auto-indent leaves it alone. (Select-all plus Delete key presses hung headless Chromium under load.)
 */
async function typeDefinition(c: ConsolePage, text: string) {
  await c.page.getByTestId('definition-editor').fill(text);
}

async function createWorkflow(c: ConsolePage, yaml: string) {
  await c.page.getByRole('link', { name: 'Workflows', exact: true }).click();
  await c.page.getByRole('link', { name: 'New workflow' }).click();
  await typeDefinition(c, yaml);
  try {
    await expect.poll(() => c.page.getByTestId('validation-state').textContent(), { timeout: TIMEOUT }).toBe('Valid');
  } catch (error) {
    // What the editor held and what it was told, so a failure says why the definition was not valid.
    const issues = await c.page.getByTestId('issues').textContent().catch(() => '(none listed)');
    const editor = await c.page.getByTestId('definition-editor').innerText().catch(() => '(unreadable)');
    throw new Error(`${(error as Error).message}\nissues: ${issues}\neditor:\n${editor}`, { cause: error });
  }
  await c.page.getByRole('button', { name: 'Create workflow' }).click();
  await c.page.getByRole('heading', { level: 2, name: 'Graph' }).waitFor();
}

async function runWorkflow(c: ConsolePage, input = '{"name": "Ada"}') {
  await c.page.getByLabel('Input (JSON)').fill(input);
  await c.page.getByRole('button', { name: 'Run workflow' }).click();
  await c.page.getByRole('heading', { level: 1, name: /^Run of / }).waitFor();
}

const nodeStatus = (c: ConsolePage, id: string) => c.page.getByTestId('dag').locator(`[data-node="${id}"]`).getAttribute('data-status');
const executionStatus = (c: ConsolePage) => c.page.getByTestId('execution-status').textContent();

describe('console (Chromium)', { timeout: 180_000 }, () => {
  it('registers, signs out, and signs in again with the username; the token never appears in a URL', async () => {
    const c = await openConsole(browser);
    await c.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await c.shot('sign-in');
    const username = uniqueName('console');
    await registerAndSignIn(c.page, username);
    await expect.poll(() => c.page.getByTestId('signed-in-as').textContent()).toBe(username);
    const token = await c.page.evaluate(() => JSON.parse(sessionStorage.getItem('stepwise.session') ?? '{}').token as string);
    expect(token).toMatch(/^ey/);
    expect(c.page.url()).not.toContain(token);

    await c.page.getByRole('button', { name: 'Sign out' }).click();
    await c.page.getByText('You are signed out.').waitFor();
    expect(await c.page.evaluate(() => sessionStorage.getItem('stepwise.session'))).toBeNull();
    // The old token was ended on the server too (POST /auth/logout).
    expect((await apiAt(baseUrl, token).get('/api/v1/me')).status).toBe(401);

    await c.page.getByLabel('Password').fill('wrong password entirely');
    await c.page.getByLabel('Username or email').fill(username);
    await c.page.getByRole('button', { name: 'Sign in' }).click();
    // The API's own error message, not a generic one.
    await c.page.getByRole('alert').getByText(/invalid/i).waitFor();
    await c.page.getByLabel('Password').fill('correct horse battery staple');
    await c.page.getByRole('button', { name: 'Sign in' }).click();
    await c.page.getByRole('heading', { level: 1, name: 'Workflows' }).waitFor();
    expect(c.problems).toEqual([]);
    await c.page.close();
  });

  it('creates a workflow from YAML: issues show at their node as you type, then the graph is drawn', async () => {
    const c = await openConsole(browser);
    await registerAndSignIn(c.page, uniqueName('graph'));
    await c.page.getByRole('link', { name: 'New workflow' }).click();
    const valid = [
      'name: Fan out',
      'definition:',
      '  nodes:',
      '    start:',
      '      type: transform',
      '      params:',
      '        expression: input',
      '      next: [left, right]',
      '    left:',
      '      type: http.request',
      '      params:',
      `        url: ${targetUrl}/ok`,
      '      next: join',
      '    right:',
      '      type: pass',
      '      next: join',
      '    join:',
      '      type: pass',
      '',
    ].join('\n');
    const dag = c.page.getByTestId('dag');
    await typeDefinition(c, valid);
    await expect.poll(() => c.page.getByTestId('validation-state').textContent(), { timeout: TIMEOUT }).toBe('Valid');
    for (const id of ['start', 'left', 'right', 'join']) await dag.locator(`[data-node="${id}"]`).waitFor();

    // A typo in one node: the API's issues, at that node — in the list, on the graph, and in the editor.
    await typeDefinition(c, valid.replace(`url: ${targetUrl}/ok`, 'urll: http://example.invalid'));
    const issues = c.page.getByTestId('issues');
    await issues.getByText(/params\.url: is required/).waitFor();
    await expect.poll(() => issues.locator('code').first().textContent()).toBe('left');
    await expect.poll(() => dag.locator('[data-node="left"]').getAttribute('class')).toContain('node-invalid');
    await dag.locator('[data-node="left"]').getByText(/2 issues/).waitFor();
    expect(await dag.locator('[data-node="right"]').getAttribute('class')).not.toContain('node-invalid');
    await c.page.locator('.cm-lint-marker-error').first().waitFor();
    await expect(c.page.getByRole('button', { name: 'Create workflow' }).isDisabled()).resolves.toBe(true);
    await c.shot('workflow-editor-issues');

    await typeDefinition(c, valid);
    await expect.poll(() => c.page.getByTestId('validation-state').textContent(), { timeout: TIMEOUT }).toBe('Valid');
    await expect.poll(() => dag.locator('.node-invalid').count()).toBe(0);
    // Typing over a selected, highlighted word, key by key, as a user renames: every key lands
    // (none undone by a late re-render) and no style the CSP refuses (c.problems below).
    await c.page.locator('.cm-line').first().click();
    await c.page.keyboard.press('End');
    await c.page.keyboard.press('Shift+Control+ArrowLeft');
    await c.page.keyboard.type('Widget');
    await expect.poll(() => c.page.locator('.cm-line').first().textContent()).toBe('name: Fan Widget');
    await expect.poll(() => c.page.getByTestId('validation-state').textContent(), { timeout: TIMEOUT }).toBe('Valid');
    await c.page.getByRole('button', { name: 'Create workflow' }).click();

    await c.page.getByRole('heading', { level: 1, name: 'Fan Widget' }).waitFor();
    for (const id of ['start', 'left', 'right', 'join']) await c.page.getByTestId('dag').locator(`[data-node="${id}"]`).waitFor();
    // Layered: the fan-out sits between the start and the join.
    const y = async (id: string) => (await c.page.getByTestId('dag').locator(`[data-node="${id}"]`).boundingBox())!.y;
    expect(await y('start')).toBeLessThan(await y('left'));
    expect(await y('left')).toBe(await y('right'));
    expect(await y('right')).toBeLessThan(await y('join'));
    await c.shot('workflow');
    expect(c.problems).toEqual([]);
    await c.page.close();
  });

  it('runs a workflow and shows its nodes turn completed live (WebSocket, no reload), with the timeline and the log', async () => {
    const c = await openConsole(browser);
    await registerAndSignIn(c.page, uniqueName('live'));
    await createWorkflow(
      c,
      [
        'name: Live greeter',
        'definition:',
        '  nodes:',
        '    greet:',
        '      type: transform',
        '      params:',
        `        expression: '"Hello, " & input.name'`,
        '      next: pause',
        '    pause:',
        '      type: wait',
        '      params:',
        '        seconds: 2',
        '      next: call',
        '    call:',
        '      type: http.request',
        '      params:',
        `        url: ${targetUrl}/ok`,
        '',
      ].join('\n'),
    );
    let navigations = 0;
    const frames: string[] = [];
    const socketUrls: string[] = [];
    c.page.on('websocket', (ws) => {
      socketUrls.push(ws.url());
      ws.on('framereceived', (f) => frames.push(String(f.payload)));
    });
    await runWorkflow(c);
    c.page.on('framenavigated', (frame) => frame === c.page.mainFrame() && navigations++);

    await expect.poll(() => c.page.getByTestId('live-state').textContent(), { timeout: TIMEOUT }).toMatch(/live|finished/);
    for (const id of ['greet', 'pause', 'call']) await expect.poll(() => nodeStatus(c, id), { timeout: TIMEOUT }).toBe('completed');
    await expect.poll(() => executionStatus(c), { timeout: TIMEOUT }).toBe('completed');
    expect(navigations).toBe(0);
    // The updates came over the WebSocket: FlowRunner's messages for this run.
    expect(frames.some((f) => f.includes('"node_completed"'))).toBe(true);
    expect(frames.some((f) => f.includes('"execution_completed"'))).toBe(true);
    // The credential went in the handshake's Sec-WebSocket-Protocol header, not in the URL.
    expect(socketUrls.length).toBeGreaterThan(0);
    for (const url of socketUrls) expect(new URL(url).search).toBe('');

    // Per-node output; the timeline has one bar per node.
    await c.page.getByTestId('dag').locator('[data-node="greet"]').click();
    await c.page.getByTestId('node-details').getByText('"Hello, Ada"').waitFor();
    await expect.poll(() => c.page.getByTestId('timeline').locator('.bar').count()).toBe(3);

    // The log, with its level filter.
    const log = c.page.getByTestId('log');
    await log.getByText('Execution completed').waitFor();
    await c.page.getByTestId('log-level').selectOption('error');
    await c.page.getByText('No log lines at level error.').waitFor();
    await c.page.getByTestId('log-level').selectOption('info');
    await log.getByText('Task started').first().waitFor();
    await c.shot('execution');
    expect(c.problems).toEqual([]);
    await c.page.close();
  });

  it('cancels a long run', async () => {
    const c = await openConsole(browser);
    await registerAndSignIn(c.page, uniqueName('cancel'));
    await createWorkflow(c, ['name: Long wait', 'tasks:', '  - name: nap', '    type: wait', '    payload:', '      seconds: 600', '  - name: after', '    type: pass', '    dependencies: [nap]', ''].join('\n'));
    await runWorkflow(c, '{}');
    await expect.poll(() => executionStatus(c), { timeout: TIMEOUT }).toBe('running');
    await c.page.getByRole('button', { name: 'Cancel run' }).click();
    await expect.poll(() => executionStatus(c), { timeout: TIMEOUT }).toBe('cancelled');
    await c.page.getByRole('button', { name: 'Retry from failure' }).waitFor();
    expect(await nodeStatus(c, 'after')).not.toBe('completed');
    expect(c.problems).toEqual([]);
    await c.page.close();
  });

  it('approves a waiting approval node from the run page, and the run completes', async () => {
    const c = await openConsole(browser);
    await registerAndSignIn(c.page, uniqueName('approve'));
    await createWorkflow(c, ['name: Sign off', 'tasks:', '  - name: gate', '    type: approval', '    payload:', '      message: Ship it?', '  - name: after', '    type: pass', '    dependencies: [gate]', ''].join('\n'));
    await runWorkflow(c, '{}');
    const approval = c.page.getByTestId('approval-gate');
    await approval.waitFor({ timeout: TIMEOUT });
    expect(await approval.textContent()).toContain('Ship it?');
    await approval.getByLabel('Comment').fill('looks good');
    await approval.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => executionStatus(c), { timeout: TIMEOUT }).toBe('completed');
    await expect.poll(() => nodeStatus(c, 'gate'), { timeout: TIMEOUT }).toBe('completed');
    expect(await c.page.getByTestId('approvals').count()).toBe(0);
    expect(c.problems).toEqual([]);
    await c.page.close();
  });

  it('redrives a failed run after its target is fixed', async () => {
    const c = await openConsole(browser);
    await registerAndSignIn(c.page, uniqueName('redrive'));
    await createWorkflow(
      c,
      ['name: Flaky target', 'tasks:', '  - name: first', '    type: transform', '    payload:', '      expression: "1"', '  - name: call', '    type: http.request', '    max_retries: 0', '    dependencies: [first]', '    payload:', `      url: ${targetUrl}/broken`, ''].join('\n'),
    );
    await runWorkflow(c, '{}');
    await expect.poll(() => executionStatus(c), { timeout: TIMEOUT }).toBe('failed');
    await expect.poll(() => nodeStatus(c, 'call'), { timeout: TIMEOUT }).toBe('failed');
    await c.page.getByTestId('execution-error').getByText(/503/).waitFor();
    await c.page.getByTestId('dag').locator('[data-node="call"]').click();
    await c.page.getByTestId('node-error').waitFor();
    await c.shot('execution-failed');

    target.fix();
    await c.page.getByRole('button', { name: 'Retry from failure' }).click();
    await expect.poll(() => executionStatus(c), { timeout: TIMEOUT }).toBe('completed');
    await expect.poll(() => nodeStatus(c, 'call'), { timeout: TIMEOUT }).toBe('completed');
    await c.page.getByText('Redrives').locator('..').getByText('1').waitFor();
    expect(c.problems).toEqual([]);
    await c.page.close();
  });

  it('creates a webhook (the secret shown once), sends a test ping and replays the delivery', async () => {
    const c = await openConsole(browser);
    await registerAndSignIn(c.page, uniqueName('hooks'));
    await c.page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await c.page.getByRole('button', { name: 'New webhook' }).click();
    await c.page.getByLabel('Endpoint URL').fill(`${targetUrl}/hook`);
    await c.page.getByRole('button', { name: 'Create webhook' }).click();
    const secret = c.page.getByTestId('one-time-secret');
    await secret.getByText(/^whsec_/).waitFor();
    await c.page.getByRole('button', { name: 'I have stored it' }).click();
    await secret.waitFor({ state: 'detached' });

    await c.page.getByRole('button', { name: 'Send test ping' }).click();
    expect(await eventually(async () => target.count('/hook'), (n) => n >= 1, { timeoutMs: TIMEOUT })).toBeGreaterThanOrEqual(1);
    const row = c.page.getByRole('region', { name: 'Deliveries table' }).locator('tbody tr').first();
    const refreshUntil = async (read: () => Promise<string | null>, ok: (text: string) => boolean) =>
      eventually(
        async () => {
          await c.page.getByRole('button', { name: 'Refresh deliveries' }).click();
          return (await read()) ?? '';
        },
        ok,
        { timeoutMs: TIMEOUT, intervalMs: 500 },
      );
    expect(await refreshUntil(() => row.getByTestId('delivery-status').getAttribute('data-status'), (t) => t === 'delivered')).toBe('delivered');
    await row.getByRole('button', { name: /^Replay/ }).click();
    expect(await eventually(async () => target.count('/hook'), (n) => n >= 2, { timeoutMs: TIMEOUT })).toBeGreaterThanOrEqual(2);
    expect(await refreshUntil(() => row.getByTestId('delivery-attempts').textContent(), (t) => t.startsWith('2 of'))).toMatch(/^2 of/);
    await row.getByRole('button', { name: /^Attempts/ }).click();
    await c.page.getByRole('table', { name: /Attempts table/ }).or(c.page.getByRole('region', { name: 'Attempts table' })).waitFor();
    await c.shot('webhook');
    expect(c.problems).toEqual([]);
    await c.page.close();
  });
});
