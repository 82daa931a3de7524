import type { ScheduledRunEvent } from '../../scheduled-run/event.ts';
import type { Stepwise } from '../stepwise.ts';
import { triggersOf } from '../triggers.ts';

/**
 * A schedule trigger fired: start the workflow's run through ExecutionService, keyed by the slot,
 * so Scheduler's retries start nothing twice. A throw makes Scheduler retry (RetryPolicy).
 */
export const createHandler =
  (stepwise: Stepwise) =>
  async (event: ScheduledRunEvent): Promise<{ execution_id: string | null }> => {
    const run = await triggersOf(stepwise).triggers.fireSchedule({ accountId: event.account_id, workflowId: event.workflow_id, scheduledTime: event.scheduled_time });
    return { execution_id: run?.id ?? null };
  };
