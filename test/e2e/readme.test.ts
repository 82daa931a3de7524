import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { api } from '../support/api-client.ts';

describe('README walk-through', () => {
  it('runs verbatim against the local server', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme)?.[1];
    expect(block).toBeDefined();
    // The only change: the port the test server happens to listen on.
    const script = block!.replaceAll('http://127.0.0.1:3000', api().baseUrl);
    const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', timeout: 60_000 });
    const [registered, created, listed, execution, logs] = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(registered).toMatchObject({ name: 'John', lastname: 'Doe', role: 'admin' });
    expect(created).toMatchObject({ name: 'Review documentation', status: 'pending', priority: 'high' });
    expect(listed.data).toEqual([created]);
    expect(listed.pagination.total).toBe(1);
    expect(execution).toMatchObject({ status: 'completed', input: { name: 'Ada' }, result: 'Hello, Ada', task_summary: { total: 1, completed: 1 } });
    expect(execution.tasks).toEqual([expect.objectContaining({ name: 'greet', type: 'transform', status: 'completed', result: 'Hello, Ada' })]);
    expect(logs.logs.map((l: { message: string }) => l.message)).toEqual(['Execution started', 'Task started', 'Task completed', 'Execution completed']);
  });
});
