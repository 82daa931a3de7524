import { randomUUID } from 'node:crypto';
import type { LocalRun, Outcome } from './local-engine.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** The EventBridge event Step Functions sends on every execution status change. */
export interface ExecutionStatusChange {
  version: '0';
  id: string;
  'detail-type': 'Step Functions Execution Status Change';
  source: 'aws.states';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: ExecutionStatus;
    startDate: number;
    stopDate: number | null;
    input: string;
    output: string | null;
    inputDetails: { included: boolean };
    outputDetails: { included: boolean } | null;
    error: string | null;
    cause: string | null;
    redriveCount: number;
    redriveDate: number | null;
    redriveStatus?: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  };
}

export interface StatusChangeOf {
  readonly run: LocalRun;
  /** When the execution first started (epoch ms); a redrive keeps it. */
  readonly startDate: number;
  readonly redriveCount: number;
  readonly redriveDate: number | null;
  readonly status: ExecutionStatus;
  /** Set once the attempt has ended. */
  readonly outcome: Outcome | undefined;
  readonly now: Date;
}

/**
 * The event Step Functions would send for this status change, field for field (the account and
 * region come from the execution ARN), so the execution-events code path is the same in both modes.
 */
export function statusChangeEvent({ run, startDate, redriveCount, redriveDate, status, outcome, now }: StatusChangeOf): ExecutionStatusChange {
  const [, , , region = 'local', account = '000000000000'] = run.executionArn.split(':');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account,
    // EventBridge times have whole seconds.
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [run.executionArn],
    detail: {
      executionArn: run.executionArn,
      stateMachineArn: run.stateMachineArn,
      name: run.name,
      status,
      startDate,
      stopDate: outcome?.stopDate ?? null,
      input: JSON.stringify(run.input ?? {}),
      output: outcome?.output ?? null,
      inputDetails: { included: true },
      outputDetails: typeof outcome?.output === 'string' ? { included: true } : null,
      error: outcome?.error ?? null,
      cause: outcome?.cause ?? null,
      redriveCount,
      redriveDate,
      redriveStatus: status === 'RUNNING' || status === 'SUCCEEDED' ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
    },
  };
}
