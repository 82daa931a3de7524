import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('README walk-through (CLI)', () => {
  it('runs verbatim against the local server through npx stepwise', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- cli-walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- cli-walkthrough:end -->/.exec(readme)?.[1];
    expect(block).toBeDefined();
    // The only change: the port the test server happens to listen on.
    const script = block!.replaceAll('http://127.0.0.1:3000', inject('baseUrl'));
    // Inside the repository, so `npx stepwise` finds the package's own bin (offline: npx must never
    // fetch a package of that name); the files the block writes go into a folder of their own.
    mkdirSync(join(ROOT, '.test-data'), { recursive: true });
    const cwd = mkdtempSync(join(ROOT, '.test-data', 'readme-cli-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(STEPWISE_|FORCE_COLOR|NO_COLOR)/.test(k)) env[k] = v;
    Object.assign(env, { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'stepwise-readme-cli-')), npm_config_offline: 'true', npm_config_update_notifier: 'false' });
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, timeout: 120_000 }).finally(() => rmSync(cwd, { recursive: true, force: true }));
    const out = stdout.split('\n');
    const at = (pattern: RegExp) => out.findIndex((l) => pattern.test(l));

    expect(out[0]).toMatch(/^✔ registered demo\d+ \(admin\) in account acct_\w+; signed in to http:\/\/127\.0\.0\.1:\d+$/);
    expect(out[1]).toMatch(/^demo\d+ \(admin\)$/);
    expect(out).toContainEqual(expect.stringMatching(/^✔ created task_\w+ Review documentation$/));
    expect(out[at(/^ID\s+STATUS\s+PRIORITY\s+DUE\s+NAME$/) + 1]).toMatch(/^task_\w+\s+pending\s+high\s+2030-12-31 23:59:59\s+Review documentation$/);
    expect(out).toContain('✔ greeter.yaml is valid (flowrunner, 1 top-level node)');
    expect(out).toContainEqual(expect.stringMatching(/^✔ created wf_\w+ Greeter \(flowrunner, version 1\)$/));
    expect(out.slice(at(/^Greeter · flowrunner · 1 node$/), at(/^Greeter · flowrunner · 1 node$/) + 3)).toEqual(['Greeter · flowrunner · 1 node', '', '1  greet  transform']);

    const run = at(/^Greeter wf_\w+ · version 1 → exec_\w+$/);
    expect(out.slice(run + 1, run + 6)).toEqual([
      '  ▸ greet  transform  running',
      expect.stringMatching(/^ {2}✔ greet {2}transform {2}completed \d+m?s$/),
      '[████████████████████████] 1/1 nodes',
      expect.stringMatching(/^✔ completed in [\d.]+m?s · 1 node: 1 completed · exec_\w+$/),
      'result: "Hello, Ada"',
    ]);
    const executionId = /→ (exec_\w+)$/.exec(out[run]!)![1];
    expect(out[run + 6]).toBe(`✔ completed in ${/in (\S+) ·/.exec(out[run + 4]!)![1]} · 1 node: 1 completed · ${executionId}`);
    expect(out).toContainEqual(expect.stringMatching(/^ {2}result {5}"Hello, Ada"$/));
    expect(out).toContainEqual(expect.stringMatching(/^✔\s+greet\s+transform\s+completed\s+1\s+\d+m?s$/));
    const logs = out.slice(-5).map((l) => l.replace(/^\d\d:\d\d:\d\d\.\d{3} /, ''));
    expect(logs.map((l) => l.replace(/ \{.*\}$/, ''))).toEqual(['INFO  Execution started', 'INFO  [greet] Task started', 'INFO  [greet] Task completed', 'INFO  Execution completed', '']);
  });
});
