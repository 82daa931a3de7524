import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessCommands } from '../../functions/adapters/local/child-process-commands.ts';
import { runAction, type ExecutorContext, type ExecutorDeps } from '../../functions/core/runner/executors.ts';
import type { TaskRunnerRequest } from '../../statemachines/task-runner-contract.ts';
import { fmt, percentile } from './stats.ts';

const SAMPLES = 300;
const WARMUP = 30;

const stats = (values: number[]) => {
  const sorted = values.toSorted((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/** `true`, spawned and awaited to its close: the floor any job executor pays on this machine. */
function bare(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('true', [], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.once('error', reject);
    child.once('close', () => resolve());
  });
}

/**
 * Local job overhead (docs/api.md, "Jobs"): a `generic` node running `true` through its executor and
 * the local command runner (templates, word splitting, a fresh working folder created and removed, a
 * minimal environment, its own process group, tails, masking), next to spawning `true` bare,
 * alternated sample by sample in the same run.
 */
export async function benchJobs(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'stepwise-bench-jobs-'));
  const deps: ExecutorDeps = {
    http: { request: () => Promise.reject(new Error('no http')) },
    lambda: { invoke: async () => ({}) },
    expressions: { evaluate: async () => undefined },
    commands: new ChildProcessCommands({ workRoot: join(root, 'jobs'), path: process.env.PATH ?? '/usr/bin:/bin' }),
  };
  const request: TaskRunnerRequest = {
    node_id: 'check',
    node_type: 'generic',
    action: 'execute',
    params: { command: 'true', environment: { STAGE: '{{input.stage}}' } },
    account_id: 'acct_bench',
    workflow_id: 'wf_bench',
    execution_id: 'arn:aws:states:local:000000000000:execution:bench:e',
    input: { stage: 'bench' },
    retry_count: 0,
  };
  const ctx: ExecutorContext = { accountId: 'acct_bench', input: request.input, step: async () => undefined, secret: async () => undefined, signal: new AbortController().signal, log: () => undefined, now: () => new Date() };
  const node: number[] = [];
  const spawned: number[] = [];
  const diffs: number[] = [];
  try {
    for (let i = 0; i < WARMUP + SAMPLES; i += 1) {
      const t0 = performance.now();
      await bare();
      const t1 = performance.now();
      const { result } = await runAction(request, ctx, deps);
      const t2 = performance.now();
      if (result.action !== 'execute' || (result.output as { exit_code?: number }).exit_code !== 0) throw new Error(`generic true did not succeed: ${JSON.stringify(result)}`);
      if (i < WARMUP) continue;
      spawned.push(t1 - t0);
      node.push(t2 - t1);
      diffs.push(t2 - t1 - (t1 - t0));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const a = stats(spawned);
  const b = stats(node);
  const d = stats(diffs);
  return [
    '## Local jobs: a `generic` node running `true` vs spawning `true` bare',
    '',
    `${SAMPLES} samples each (after ${WARMUP} warm-up), alternated in one process: the node goes through its executor and the local command runner (functions/adapters/local/child-process-commands.ts); the reference spawns the same program and waits for it to close. Recording the task and its log lines in the table is not included (see "Task-runner overhead per task").`,
    '',
    '| | p50 ms | p99 ms |',
    '|---|---:|---:|',
    `| spawn \`true\` bare | ${fmt(a.p50, 2)} | ${fmt(a.p99, 2)} |`,
    `| \`generic\` node running \`true\` | ${fmt(b.p50, 2)} | ${fmt(b.p99, 2)} |`,
    `| overhead (node − bare, per sample) | ${fmt(d.p50, 2)} | ${fmt(d.p99, 2)} |`,
    '',
  ].join('\n');
}
