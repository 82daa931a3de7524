import { WORKFLOW_TRIGGER_EVENTS } from '../../../lib/definitions/event-patterns.ts';
import type { DomainEvent } from '../../core/events/catalog.ts';
import type { LocalBus } from './local-bus.ts';
import { LocalScheduler, registerLocalScheduler } from './local-scheduler.ts';

/**
 * Event triggers in local mode: the same rule pattern the AWS stack deploys, delivering to the same
 * trigger-dispatcher handler. Handlers load on first delivery, after the server set the environment.
 */
export function attachLocalTriggers(bus: Pick<LocalBus, 'subscribe'>): void {
  bus.subscribe('workflow-triggers', WORKFLOW_TRIGGER_EVENTS, async (event) => {
    const { handler } = await import('../../trigger-dispatcher/handler.ts');
    await handler({ detail: event.detail as DomainEvent });
  });
}

/**
 * Schedule triggers in local mode: a cron loop rebuilt from the stored schedule states (so it
 * survives restarts) that calls the scheduled-run handler EventBridge Scheduler invokes on AWS.
 * `timeScale` is the local engine's: below 1, schedules fire faster than real time.
 */
export async function startLocalScheduler(timeScale: number): Promise<LocalScheduler> {
  const [{ handler }, { container }, { DynamoTriggerStore }] = await Promise.all([
    import('../../scheduled-run/handler.ts'),
    import('../container.ts'),
    import('../dynamodb/trigger-store.ts'),
  ]);
  const store = new DynamoTriggerStore(container().db, container().config.TABLE_NAME);
  const scheduler = new LocalScheduler({
    fire: async (f) => {
      await handler({ account_id: f.accountId, workflow_id: f.workflowId, scheduled_time: f.scheduledTime });
    },
    load: async () =>
      (await store.schedules()).flatMap((s) =>
        s.trigger.type === 'schedule' ? [{ accountId: s.accountId, workflowId: s.workflowId, cron: s.trigger.cron, timezone: s.trigger.timezone, enabled: s.enabled }] : [],
      ),
    timeScale,
    logger: { error: (message, fields) => console.error(message, fields ?? {}) },
  });
  registerLocalScheduler(scheduler);
  await scheduler.start();
  return scheduler;
}

/** Stops the loop (waiting for runs it is starting) and unregisters it. */
export async function stopLocalScheduler(scheduler: LocalScheduler | undefined): Promise<void> {
  registerLocalScheduler(undefined);
  await scheduler?.stop();
}
