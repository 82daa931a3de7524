import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChildProcessCommands } from '../../../../functions/adapters/local/child-process-commands.ts';
import { CommandFailure, type CommandSpec } from '../../../../functions/core/runner/ports.ts';
import { eventually } from '../../../support/polling.ts';
import { processAlive } from '../../../../functions/adapters/local/data-dir-lock.ts';

const root = mkdtempSync(join(tmpdir(), 'stepwise-jobs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const workRoot = join(root, 'jobs');
const commands = new ChildProcessCommands({ workRoot, path: process.env.PATH ?? '/usr/bin:/bin' });
const spec = (argv: string[], more: Partial<CommandSpec> = {}): CommandSpec => ({ argv, env: {}, timeoutMs: 30_000, maxOutputBytes: 65_536, signal: new AbortController().signal, ...more });


describe('ChildProcessCommands', () => {
  it('runs argv without a shell in a fresh folder with a minimal environment, and removes the folder', async () => {
    process.env.STEPWISE_TEST_LEAK = 'server-only';
    try {
      const result = await commands.run(spec(['sh', '-c', 'echo "$1 $GREETING"; pwd; env | sort; echo warn >&2', 'sh', '$HOME *'], { env: { GREETING: 'hi' } }));
      const [first, cwd, ...env] = result.stdout.trim().split('\n');
      expect(first).toBe('$HOME * hi');
      expect(cwd!.startsWith(join(workRoot, 'job-'))).toBe(true);
      const names = env.map((l) => l.split('=')[0]).filter((n) => n !== 'PWD' && n !== 'SHLVL' && n !== '_');
      expect(names.toSorted()).toEqual(['GREETING', 'HOME', 'LANG', 'PATH', 'TMPDIR']);
      expect(env).toContain(`HOME=${cwd}`);
      expect(result).toMatchObject({ exitCode: 0, signal: null, stderr: 'warn\n', truncated: false, timedOut: false });
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
      expect(existsSync(cwd!)).toBe(false);
      expect(readdirSync(workRoot)).toEqual([]);
    } finally {
      delete process.env.STEPWISE_TEST_LEAK;
    }
  });

  it('a non-zero exit is a result with the exit code and stderr', async () => {
    expect(await commands.run(spec(['sh', '-c', 'echo out; echo boom >&2; exit 3']))).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'boom\n', timedOut: false });
  });

  it('keeps only the tail of each stream', async () => {
    const result = await commands.run(spec(['sh', '-c', 'i=0; while [ $i -lt 300 ]; do echo "line $i"; i=$((i+1)); done'], { maxOutputBytes: 100 }));
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(100);
    expect(result.stdout.endsWith('line 299\n')).toBe(true);
  });

  it('the timeout kills the whole process group, grandchildren included', async () => {
    const pidFile = join(root, 'grandchild.pid');
    const result = await commands.run(spec(['sh', '-c', `sleep 300 & echo $! > ${pidFile}; echo started; wait`], { timeoutMs: 500 }));
    expect(result).toMatchObject({ timedOut: true, exitCode: null, stdout: 'started\n' });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(await eventually(async () => processAlive(grandchild), (a) => !a, { timeoutMs: 10_000 })).toBe(false);
  });

  it('what a command leaves running in the background is killed when it exits', async () => {
    const pidFile = join(root, 'orphan.pid');
    const result = await commands.run(spec(['sh', '-c', `(sleep 300 >/dev/null 2>&1 &  echo $! > ${pidFile}); echo done`]));
    expect(result).toMatchObject({ exitCode: 0, stdout: 'done\n' });
    const orphan = Number(readFileSync(pidFile, 'utf8'));
    expect(await eventually(async () => processAlive(orphan), (a) => !a, { timeoutMs: 10_000 })).toBe(false);
  });

  it('aborting the signal kills the command and rejects as aborted', async () => {
    const controller = new AbortController();
    const run = commands.run(spec(['sleep', '300'], { signal: controller.signal }));
    setTimeout(() => controller.abort(), 200);
    await expect(run).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('a program that does not exist is not_found', async () => {
    const error = await commands.run(spec(['validate_schema'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandFailure);
    expect(error).toMatchObject({ kind: 'not_found', message: 'program "validate_schema" was not found (PATH or the working folder)' });
  });

  describe('checkout (ci)', () => {
    const repo = join(root, 'repo');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { PATH: process.env.PATH, HOME: root, GIT_CONFIG_NOSYSTEM: '1' } }).toString().trim();
    execFileSync('git', ['init', '--quiet', '--initial-branch', 'main', repo]);
    writeFileSync(join(repo, 'test.sh'), 'echo "testing on $STEPWISE_ENVIRONMENT"\n');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'one');
    git('checkout', '--quiet', '-b', 'feature');
    writeFileSync(join(repo, 'test.sh'), 'echo feature; exit 4\n');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-am', 'two');
    const feature = git('rev-parse', 'HEAD');
    const main = git('rev-parse', 'main');

    it('clones a local path or file:// URL at the branch and runs there, reporting the commit', async () => {
      const onMain = await commands.run(spec(['sh', '-c', 'sh test.sh'], { env: { STEPWISE_ENVIRONMENT: 'test' }, checkout: { repoUrl: repo, branch: 'main' } }));
      expect(onMain).toMatchObject({ exitCode: 0, stdout: 'testing on test\n', commit: main });
      const onFeature = await commands.run(spec(['sh', '-c', 'sh test.sh'], { checkout: { repoUrl: `file://${repo}`, branch: 'feature' } }));
      expect(onFeature).toMatchObject({ exitCode: 4, stdout: 'feature\n', commit: feature });
    });

    it('an unknown branch or repository, or a transport that runs code (ext::), fails the checkout', async () => {
      await expect(commands.run(spec(['true'], { checkout: { repoUrl: repo, branch: 'nope' } }))).rejects.toMatchObject({ kind: 'checkout', message: expect.stringContaining('at nope failed') });
      await expect(commands.run(spec(['true'], { checkout: { repoUrl: join(root, 'missing') } }))).rejects.toMatchObject({ kind: 'checkout' });
      const marker = join(root, 'ext-ran');
      await expect(commands.run(spec(['true'], { checkout: { repoUrl: `ext::sh -c touch% ${marker}` } }))).rejects.toMatchObject({ kind: 'checkout' });
      expect(existsSync(marker)).toBe(false);
    });
  });
});
