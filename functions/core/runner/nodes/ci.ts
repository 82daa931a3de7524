import { nonRetryable } from '../errors.ts';
import { commandOutput, DEFAULT_COMMAND_TIMEOUT_MS, runCommand } from './jobs.ts';
import { timeoutFrom } from './http.ts';
import { asRecord, type NodeExecutor } from './run.ts';

/**
 * `ci` {repo_url, command, branch, environment}: the repository cloned (at `branch`) into a fresh folder,
 * then `command` run there with `sh -c`, `environment` as STEPWISE_ENVIRONMENT; the output adds `commit`.
 */
export const ci: NodeExecutor = {
  async execute(run) {
    const p = asRecord(await run.templates.resolve(run.params));
    if (typeof p.repo_url !== 'string' || p.repo_url.trim() === '') throw nonRetryable('repo_url must resolve to a repository URL');
    if (typeof p.command !== 'string' || p.command.trim() === '') throw nonRetryable('command must resolve to a non-empty string');
    if (p.branch !== undefined && (typeof p.branch !== 'string' || !/^[A-Za-z0-9._/][A-Za-z0-9._/-]{0,255}$/.test(p.branch))) {
      throw nonRetryable('branch must resolve to a branch or tag name');
    }
    const env: Record<string, string> = typeof p.environment === 'string' ? { STEPWISE_ENVIRONMENT: p.environment } : {};
    const timeoutMs = timeoutFrom(p.timeout, run.deps.limits?.defaultCommandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
    const result = await runCommand(
      run,
      { argv: ['sh', '-c', p.command], env, timeoutMs, checkout: { repoUrl: p.repo_url.trim(), branch: typeof p.branch === 'string' ? p.branch : undefined } },
      'ci',
    );
    return commandOutput(result, { commit: result.commit ?? null });
  },
};
