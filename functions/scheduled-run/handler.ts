import { triggerDeps } from '../adapters/triggers-wiring.ts';

/** What each workflow's EventBridge Scheduler schedule sends (adapters/aws/eventbridge-schedules.ts), and what the local cron loop passes. */
export interface ScheduledRunEvent {
  account_id: string;
  workflow_id: string;
  /** The slot, filled in by Scheduler from `<aws.scheduler.scheduled-time>`. */
  scheduled_time: string;
}

/**
 * A schedule trigger fired: start the workflow's run through ExecutionService, keyed by the slot,
 * so Scheduler's retries start nothing twice. A throw makes Scheduler retry (RetryPolicy).
 */
export async function handler(event: ScheduledRunEvent): Promise<{ execution_id: string | null }> {
  const run = await triggerDeps().triggers.fireSchedule({ accountId: event.account_id, workflowId: event.workflow_id, scheduledTime: event.scheduled_time });
  return { execution_id: run?.id ?? null };
}
