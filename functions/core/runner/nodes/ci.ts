import { isNetworkRepoUrl } from '../../../../statemachines/jobs.ts';
import { nonRetryable } from '../errors.ts';
import { commandOutput, DEFAULT_COMMAND_TIMEOUT_MS, prepared, recordJob, runCommand } from './jobs.ts';
import { timeoutFrom } from './http.ts';
import { asRecord, type NodeExecutor, type Run } from './run.ts';

interface CiJob {
  repoUrl: string;
  command: string;
  branch: string | undefined;
  environment: string | undefined;
  timeoutMs: number;
}

/**
 * `ci` {repo_url, command, branch, environment}: the repository cloned (at `branch`) into a fresh folder,
 * then `command` run there with `sh -c`, `environment` as STEPWISE_ENVIRONMENT; the output adds `commit`.
 */
export const ci: NodeExecutor = {
  async execute(run) {
    const job = await resolved(run);
    const env: Record<string, string> = job.environment !== undefined ? { STEPWISE_ENVIRONMENT: job.environment } : {};
    const result = await runCommand(run, { argv: ['sh', '-c', job.command], env, timeoutMs: job.timeoutMs, checkout: { repoUrl: job.repoUrl, branch: job.branch } }, 'ci');
    return commandOutput(result, { commit: result.commit ?? null });
  },
  async prepare_job(run) {
    const job = await resolved(run);
    // CodeBuild clones over the network: a path or file:// URL names nothing there.
    if (!isNetworkRepoUrl(job.repoUrl)) throw nonRetryable('repo_url must resolve to an https:// or ssh repository URL on AWS');
    return prepared(
      run,
      {
        STEPWISE_REPO_URL: job.repoUrl,
        STEPWISE_COMMAND: job.command,
        ...(job.branch !== undefined ? { STEPWISE_BRANCH: job.branch } : {}),
        ...(job.environment !== undefined ? { STEPWISE_ENVIRONMENT: job.environment } : {}),
      },
      job.timeoutMs,
    );
  },
  record_job: recordJob,
};

async function resolved(run: Run): Promise<CiJob> {
  const p = asRecord(await run.templates.resolve(run.params));
  if (typeof p.repo_url !== 'string' || p.repo_url.trim() === '' || p.repo_url.trim().startsWith('-')) throw nonRetryable('repo_url must resolve to a repository URL');
  if (typeof p.command !== 'string' || p.command.trim() === '') throw nonRetryable('command must resolve to a non-empty string');
  if (p.branch !== undefined && (typeof p.branch !== 'string' || !/^[A-Za-z0-9._/][A-Za-z0-9._/-]{0,255}$/.test(p.branch))) {
    throw nonRetryable('branch must resolve to a branch or tag name');
  }
  return {
    repoUrl: p.repo_url.trim(),
    command: p.command,
    branch: typeof p.branch === 'string' ? p.branch : undefined,
    environment: typeof p.environment === 'string' ? p.environment : undefined,
    timeoutMs: timeoutFrom(p.timeout, run.deps.limits?.defaultCommandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS),
  };
}
