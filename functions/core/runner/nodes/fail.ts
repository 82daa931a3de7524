import { RunnerFailure } from '../errors.ts';
import { asRecord, type NodeExecutor } from './run.ts';

/** `fail` with templated error or cause (else a native Fail): throws the resolved name and cause. */
export const fail: NodeExecutor = {
  async fail(run) {
    const p = asRecord(await run.templates.resolve({ error: run.params.error, cause: run.params.cause }));
    const name = typeof p.error === 'string' && p.error.trim() !== '' ? p.error.trim() : 'WorkflowFailed';
    const cause = p.cause === undefined || p.cause === null ? '' : typeof p.cause === 'string' ? p.cause : JSON.stringify(p.cause);
    throw new RunnerFailure(name, cause, { retryable: false });
  },
};
