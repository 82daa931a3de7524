import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { newAccount } from '../support/api-client.ts';

/**
 * The CLI on a terminal: the real bin under a pseudo-terminal (util-linux `script`), answering its
 * prompts as a person would — each answer typed once the prompt is on screen.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'stepwise.js');
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

interface Terminal {
  /** Everything the terminal showed so far (echo included). */
  screen(): string;
  /** Resolves once `text` is on screen. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  type(text: string): void;
  exited: Promise<number | null>;
}

function terminal(args: string[], env: Record<string, string>): Terminal {
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  const waiters: (() => void)[] = [];
  const onData = (c: Buffer) => {
    screen += c.toString();
    waiters.splice(0).forEach((w) => w());
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    screen: () => screen,
    async waitFor(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!screen.includes(text)) {
        if (Date.now() > deadline) throw new Error(`"${text}" never appeared; the screen shows:\n${screen}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    type: (text) => child.stdin.write(text),
    exited,
  };
}

function cliEnv(configHome: string, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(STEPWISE_|FORCE_COLOR|NO_COLOR|CI$)/.test(k)) out[k] = v;
  return { ...out, TERM: 'xterm-256color', STEPWISE_API_URL: inject('baseUrl'), XDG_CONFIG_HOME: configHome, ...extra };
}

describe('stepwise CLI on a terminal (end to end)', () => {
  it('login prompts for the username and a hidden password; secrets set prompts hidden; run --watch is coloured with a live bar, unless NO_COLOR', async () => {
    const account = await newAccount('clitty');
    const configHome = mkdtempSync(join(tmpdir(), 'stepwise-cli-tty-'));

    const login = terminal(['login'], cliEnv(configHome));
    await login.waitFor('Username: ');
    login.type(`${account.username}\r`);
    await login.waitFor('Password: ');
    login.type(`${account.password}\r`);
    expect(await login.exited).toBe(0);
    expect(login.screen()).toContain(account.username);
    expect(login.screen()).toContain(`signed in to ${inject('baseUrl')}`);
    expect(login.screen()).not.toContain(account.password);

    const value = `tty-secret-${Math.random().toString(36).slice(2)}`;
    const secret = terminal(['secrets', 'set', 'TTY_KEY'], cliEnv(configHome));
    await secret.waitFor('Value for TTY_KEY: ');
    secret.type(`${value}\r`);
    expect(await secret.exited).toBe(0);
    expect(secret.screen()).toContain('created secret');
    expect(secret.screen()).not.toContain(value);

    const dir = mkdtempSync(join(tmpdir(), 'stepwise-cli-tty-flow-'));
    writeFileSync(join(dir, 'flow.json'), JSON.stringify({ name: 'Tty', tasks: [{ name: 'one', type: 'transform', payload: { expression: '1' } }, { name: 'two', type: 'transform', payload: { expression: '2' }, dependencies: ['one'] }] }));
    const apply = terminal(['workflows', 'apply', '-f', join(dir, 'flow.json')], cliEnv(configHome));
    expect(await apply.exited).toBe(0);

    const colored = terminal(['run', 'Tty', '--watch'], cliEnv(configHome));
    expect(await colored.exited).toBe(0);
    const screen = colored.screen();
    expect(screen).toContain('\u001b[32m✔\u001b[39m');
    // The bar is drawn under the node lines and redrawn in place (clear line, carriage return).
    expect(screen).toContain('\r\u001b[2K');
    expect(screen).toContain('2/2 nodes');

    const plain = terminal(['run', 'Tty', '--watch'], cliEnv(configHome, { NO_COLOR: '1' }));
    expect(await plain.exited).toBe(0);
    expect(plain.screen()).not.toMatch(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`));
    expect(plain.screen()).toContain('2/2 nodes');
  }, 120_000);
});
