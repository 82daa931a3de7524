/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect, onTestFailed } from 'vitest';

/**
 * Real-browser helpers for the console tests: Debian's Chromium (never a downloaded browser)
 * driven by playwright-core, a screenshot per page into test-artifacts/console/<test file>/
 * (gitignored; emptied when that file starts, so what is there is from its last run) and one on
 * failure, and an axe-core check.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'console');
/** Generous: two shared cores, a headless browser and the local server. */
export const TIMEOUT = 30_000;

export const LAPTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface BrowserSession {
  context: BrowserContext;
  /** This test file's artifacts folder. */
  artifacts: string;
  close(): Promise<void>;
}

/**
 * One Chromium per test file on a fresh profile (playwright passes the folder as --user-data-dir).
 * Each page is its own tab, so each has its own sessionStorage: its own signed-in user.
 */
export async function launch(baseUrl: string, name: string): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'stepwise-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    viewport: LAPTOP,
    baseURL: baseUrl,
    timeout: 60_000,
  });
  context.setDefaultTimeout(TIMEOUT);
  const artifacts = join(ARTIFACTS, name);
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  return {
    context,
    artifacts,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface ConsolePage {
  page: Page;
  /** Console messages that report a Content Security Policy violation or an uncaught error. */
  problems: string[];
  shot(name: string): Promise<void>;
}

/** A new tab on the console, with a failure screenshot registered for the running test. */
export async function openConsole(session: BrowserSession, viewport = LAPTOP): Promise<ConsolePage> {
  const page = await session.context.newPage();
  if (viewport !== LAPTOP) await page.setViewportSize(viewport);
  const problems: string[] = [];
  // The violation event says where the refused code came from, which the console message does not.
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} sample ${JSON.stringify(e.sample)}`),
    ),
  );
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to|CSP violation/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('crash', () => problems.push('the page crashed'));
  const log: string[] = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  // confirm() before a delete is accepted; an alert() can only come from injected script.
  page.on('dialog', (d) => {
    if (d.type() !== 'confirm') problems.push(`unexpected ${d.type()} dialog: ${d.message()}`);
    void d.accept();
  });
  const shot = async (name: string) => {
    await page.screenshot({ path: join(session.artifacts, `${name}.png`), fullPage: true });
  };
  onTestFailed(async ({ task }) => {
    const text = await Promise.race([page.evaluate(() => document.body.innerText), new Promise<string>((r) => setTimeout(() => r('(the page did not answer)'), 5000))]).catch((e: Error) => e.message);
    const base = join(session.artifacts, `failed-${task.name.replace(/\W+/g, '-').slice(0, 60)}`);
    writeFileSync(`${base}.txt`, [`url: ${page.url()}`, ...problems, ...log, '--- page text ---', text].join('\n'));
    await page.screenshot({ path: `${base}.png`, timeout: 10_000 }).catch(() => undefined);
  });
  await page.goto('/');
  return { page, problems, shot };
}

/** Waits until no part of the page still says it is loading (lazy chunks, API reads). */
export async function settle(page: Page): Promise<void> {
  await expect.poll(() => page.getByRole('status').filter({ hasText: /^Loading / }).count(), { timeout: TIMEOUT }).toBe(0);
}

const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/**
 * axe-core on the page as it is (WCAG 2.x A/AA rules). Injected through the DevTools protocol, which
 * the page's CSP does not govern, so the policy under test stays exactly as served.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${what}: serious accessibility violations`).toEqual([]);
}

/** Registers and signs in through the forms, as a new user would. */
export async function registerAndSignIn(page: Page, username: string, password = 'correct horse battery staple'): Promise<void> {
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Register and sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Workflows' }).waitFor();
}

let counter = 0;
export const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
