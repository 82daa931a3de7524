import type { EventType } from '../events/catalog.ts';
import type { WorkflowTrigger } from './trigger.ts';

/** One workflow's schedule as the scheduler needs it. */
export interface ScheduleSpec {
  readonly accountId: string;
  readonly workflowId: string;
  /** 5-field cron (cron.ts), evaluated in `timezone`. */
  readonly cron: string;
  readonly timezone: string;
  /** False while the workflow is paused or archived: the schedule stays, but fires nothing. */
  readonly enabled: boolean;
}

/** Where schedules live: EventBridge Scheduler on AWS (one schedule per workflow), the cron loop locally. */
export interface ScheduleProvisioner {
  /** Creates or replaces the workflow's schedule. */
  put(spec: ScheduleSpec): Promise<void>;
  /** Deletes it; a schedule that does not exist is not an error. */
  remove(workflowId: string): Promise<void>;
}

/**
 * What was last provisioned for a workflow's trigger. Saving a workflow compares against it, so
 * only what changed touches the scheduler, the event index or the webhook token.
 */
export interface TriggerState {
  readonly accountId: string;
  readonly workflowId: string;
  readonly trigger: WorkflowTrigger;
  /** The workflow was active (a schedule is ENABLED) when this was written. */
  readonly enabled: boolean;
  readonly updatedAt: string;
}

/** A workflow listening for one event type in its account (the event index, one row per type). */
export interface EventSubscription {
  readonly accountId: string;
  readonly workflowId: string;
  readonly event: EventType;
  readonly filter?: Extract<WorkflowTrigger, { type: 'event' }>['filter'];
}

/** A webhook trigger's credential: only the token's hash is kept; the token is shown once. */
export interface WebhookCredential {
  readonly workflowId: string;
  readonly accountId: string;
  /** SHA-256 of the token (hex); tokens are 256 random bits, so no salt or slow hash is needed. */
  readonly tokenHash: string;
  readonly createdAt: string;
}

export interface TriggerStore {
  state(accountId: string, workflowId: string): Promise<TriggerState | undefined>;
  /** Writes `next` and its event-index rows, replacing `previous`'s rows, in one transaction. */
  saveState(previous: TriggerState | undefined, next: TriggerState): Promise<void>;
  /** Removes the state and its event-index rows. */
  deleteState(previous: TriggerState): Promise<void>;
  /** Workflows of the account subscribed to `event` (a key lookup by type, never a scan). */
  subscribers(accountId: string, event: EventType): Promise<EventSubscription[]>;
  /** Every schedule-triggered workflow of every account (the local cron loop rebuilds itself from these on start). */
  schedules(): Promise<TriggerState[]>;
  /** The webhook credential by workflow id alone: the public hook URL names no account. */
  webhook(workflowId: string): Promise<WebhookCredential | undefined>;
  saveWebhook(credential: WebhookCredential): Promise<void>;
  /** Removes the credential if it belongs to `accountId`. */
  deleteWebhook(accountId: string, workflowId: string): Promise<void>;
}
