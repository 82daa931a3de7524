import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { coalesced } from '../coalesce.ts';
import type { Logger } from '../logger.ts';
import { AppError, conflict, isAppError, notFound } from '../errors.ts';
import { isEventType, type DomainEvent } from '../events/catalog.ts';
import type { ExecutionService } from '../executions/execution-service.ts';
import type { Execution } from '../executions/execution.ts';
import type { ExecutionRepository } from '../executions/ports.ts';
import type { RunStatsStore, WorkflowRunStats } from '../executions/run-stats.ts';
import { isId } from '../ids.ts';
import type { Page, PageRequest } from '../pagination.ts';
import type { Principal } from '../principal.ts';
import type { WorkflowRepository } from '../workflows/ports.ts';
import type { Workflow } from '../workflows/workflow.ts';
import { MAX_TRIGGER_DEPTH, depthOf, executionOf, matchesFilter, workflowOf } from './event-match.ts';
import type { ScheduleProvisioner, TriggerState, TriggerStore } from './ports.ts';
import { MANUAL, type WorkflowTrigger } from './trigger.ts';

/** `wht_` + 256 random bits: recognisable to secret scanners, and too long to guess. */
const TOKEN_PREFIX = 'wht_';
const TOKEN_SHAPE = /^wht_[A-Za-z0-9_-]{43}$/;


export interface TriggerDeps {
  readonly store: TriggerStore;
  readonly schedules: ScheduleProvisioner;
  readonly workflows: Pick<WorkflowRepository, 'get' | 'list'>;
  /** Starting runs (webhooks, schedules, events); every run gets its execution record this way. */
  readonly runs: () => Pick<ExecutionService, 'start'>;
  /** Reading the run an event came from, for its chain depth. */
  readonly executions: () => Pick<ExecutionRepository, 'get'>;
  readonly runStats: () => Pick<RunStatsStore, 'get'>;
  readonly clock: Clock;
  readonly logger?: Pick<Logger, 'info' | 'warn'> | undefined;
}

export interface SyncResult {
  /** A freshly minted webhook token: returned once, in the response that created it. */
  readonly webhookToken?: string;
}

export interface ScheduledFire {
  readonly accountId: string;
  readonly workflowId: string;
  /** The slot being fired (EventBridge Scheduler's `<aws.scheduler.scheduled-time>`, or the loop's slot). */
  readonly scheduledTime: string;
}

export interface Process {
  readonly workflow: Workflow;
  readonly stats: WorkflowRunStats | undefined;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Who starts a triggered run: no user, only the account and what fired. */
export function triggerPrincipal(accountId: string, kind: 'schedule' | 'webhook' | 'event', workflowId: string): Principal {
  return { accountId, userId: undefined, role: 'member', scopes: ['workflows:write'], authMethod: 'trigger', credentialId: `trigger:${kind}:${workflowId}`, plan: 'free' };
}

/**
 * Triggers: keeps each workflow's schedule, event subscriptions and webhook credential in line
 * with its definition and status, and starts runs when one fires. Every start goes through
 * ExecutionService.start with an idempotency key, so a retried delivery never starts twice.
 */
export class TriggerService {
  /** The listeners of one event type: events dispatched together share one lookup (docs/architecture.md#reads-that-arrive-together). */
  private readonly subscribers: TriggerDeps['store']['subscribers'];

  constructor(private readonly deps: TriggerDeps) {
    this.subscribers = coalesced((accountId, event) => deps.store.subscribers(accountId, event), (accountId, event) => `${accountId} ${event}`);
  }

  /** After a workflow was created, published or changed status. Idempotent; only differences are provisioned. */
  async sync(workflow: Workflow): Promise<SyncResult> {
    const { store, schedules } = this.deps;
    const trigger = workflow.trigger ?? MANUAL;
    const enabled = workflow.status === 'active';
    const previous = await store.state(workflow.accountId, workflow.id);
    const before = previous?.trigger ?? MANUAL;

    if (trigger.type === 'schedule') {
      const unchanged = before.type === 'schedule' && before.cron === trigger.cron && before.timezone === trigger.timezone && previous?.enabled === enabled;
      if (!unchanged) await schedules.put({ accountId: workflow.accountId, workflowId: workflow.id, cron: trigger.cron, timezone: trigger.timezone, enabled });
    } else if (before.type === 'schedule') {
      await schedules.remove(workflow.id);
    }

    let webhookToken: string | undefined;
    if (trigger.type === 'webhook' && before.type !== 'webhook') webhookToken = await this.mint(workflow);
    else if (trigger.type !== 'webhook' && before.type === 'webhook') await store.deleteWebhook(workflow.accountId, workflow.id);

    // The record goes last: if anything above failed, the next save sees the old record and retries it.
    if (trigger.type === 'manual') {
      if (previous) await store.deleteState(previous);
    } else if (!previous || previous.enabled !== enabled || JSON.stringify(previous.trigger) !== JSON.stringify(trigger)) {
      await store.saveState(previous, { accountId: workflow.accountId, workflowId: workflow.id, trigger, enabled, updatedAt: this.deps.clock.now().toISOString() });
    }
    return webhookToken ? { webhookToken } : {};
  }

  /**
   * After a workflow was deleted: its schedule, subscriptions and webhook credential go too. With
   * no trigger record (the account's partition was deleted with it, or a save failed before writing
   * the record) the schedule may still exist, so it is removed unconditionally then (removing a
   * missing schedule is a no-op); only a record saying "not scheduled" skips it.
   */
  async remove(accountId: string, workflowId: string): Promise<void> {
    const { store, schedules } = this.deps;
    const previous = await store.state(accountId, workflowId);
    if (!previous || previous.trigger.type === 'schedule') await schedules.remove(workflowId);
    // Unconditionally: a credential minted by a save whose record write failed has no record.
    await store.deleteWebhook(accountId, workflowId);
    if (previous) await store.deleteState(previous);
  }

  /** A new webhook token; the old one stops working at once. */
  async rotateWebhookToken(principal: Principal, workflowId: string): Promise<{ workflow: Workflow; token: string }> {
    const workflow = isId('workflow', workflowId) ? await this.deps.workflows.get(principal.accountId, workflowId) : undefined;
    if (!workflow) throw notFound('Workflow', workflowId);
    if (workflow.trigger?.type !== 'webhook') throw conflict(`Workflow ${workflow.id} has no webhook trigger; set trigger {"type": "webhook"} first`, 'trigger');
    return { workflow, token: await this.mint(workflow) };
  }

  /**
   * `POST /hooks/{workflow_id}/{token}`: the token is the credential. A wrong, rotated-out or other
   * workflow's token, an unknown workflow and a workflow that is no longer webhook-triggered all
   * answer the same 404, so the route reveals nothing about which part was wrong.
   */
  async fireWebhook(workflowId: string, token: string, input: Record<string, unknown>, idempotencyKey?: string): Promise<Execution> {
    const missing = () => notFound('Webhook');
    if (!isId('workflow', workflowId) || !TOKEN_SHAPE.test(token)) throw missing();
    const credential = await this.deps.store.webhook(workflowId);
    if (!credential || !timingSafeEqual(Buffer.from(hash(token), 'hex'), Buffer.from(credential.tokenHash, 'hex'))) throw missing();
    const workflow = await this.deps.workflows.get(credential.accountId, workflowId);
    if (!workflow || workflow.trigger?.type !== 'webhook') throw missing();
    return this.deps.runs().start(triggerPrincipal(workflow.accountId, 'webhook', workflow.id), workflow.id, { input, idempotencyKey, trigger: 'webhook' });
  }

  /**
   * A schedule's slot came due. The idempotency key is the slot, so a Scheduler retry or a local
   * loop that restarted inside the same minute never starts the slot twice.
   */
  async fireSchedule(fire: ScheduledFire): Promise<Execution | undefined> {
    const slot = new Date(fire.scheduledTime);
    if (Number.isNaN(slot.getTime())) throw new AppError('invalid_request', `scheduled_time '${fire.scheduledTime}' is not an instant`, { field: 'scheduled_time' });
    const workflow = isId('workflow', fire.workflowId) ? await this.deps.workflows.get(fire.accountId, fire.workflowId) : undefined;
    if (!workflow) {
      // Its account (and with it the workflow) was deleted: a schedule that outlived it removes itself.
      this.deps.logger?.warn('schedule of a missing workflow removed', { account_id: fire.accountId, workflow_id: fire.workflowId });
      await this.remove(fire.accountId, fire.workflowId);
      return undefined;
    }
    if (workflow.trigger?.type !== 'schedule' || workflow.status !== 'active') return undefined;
    const scheduledTime = slot.toISOString();
    return this.startQuietly(workflow, 'schedule', { input: { trigger: { type: 'schedule', scheduled_time: scheduledTime } }, idempotencyKey: `schedule:${scheduledTime}` });
  }

  /**
   * A domain event occurred: start every workflow of the same account that listens for its type
   * and whose filter holds. A workflow's own events never start it, and chains of event-triggered
   * runs stop after MAX_TRIGGER_DEPTH links. The event id is the idempotency key (at-least-once delivery).
   */
  async dispatch(event: DomainEvent): Promise<Execution[]> {
    if (!isEventType(event.event) || !isId('account', event.account_id)) return [];
    const subscribers = await this.subscribers(event.account_id, event.event);
    const source = workflowOf(event);
    const candidates = subscribers.filter((s) => s.workflowId !== source && matchesFilter(s.filter, event));
    if (candidates.length === 0) return [];
    const parentId = executionOf(event);
    const parent = parentId && isId('execution', parentId) ? await this.deps.executions().get(event.account_id, parentId) : undefined;
    const depth = depthOf(parent?.input) + 1;
    if (depth > MAX_TRIGGER_DEPTH) {
      this.deps.logger?.warn('event trigger chain too deep; not starting', { event_id: event.id, event: event.event, depth, max_depth: MAX_TRIGGER_DEPTH });
      return [];
    }
    const started: Execution[] = [];
    for (const sub of candidates) {
      const workflow = await this.deps.workflows.get(sub.accountId, sub.workflowId);
      if (!workflow || workflow.trigger?.type !== 'event' || workflow.status !== 'active') continue;
      const input = { ...event, trigger: { type: 'event', event_id: event.id, depth } };
      const run = await this.startQuietly(workflow, 'event', { input, idempotencyKey: `event:${event.id}` });
      if (run) started.push(run);
    }
    return started;
  }

  /** Behflow's processes: the account's workflows with their trigger and last run, one page at a time. */
  async processes(principal: Principal, page: PageRequest): Promise<Page<Process>> {
    const result = await this.deps.workflows.list(principal.accountId, {}, page);
    const stats = await this.deps.runStats().get(principal.accountId, result.items.map((w) => w.id));
    return { ...result, items: result.items.map((workflow) => ({ workflow, stats: stats.get(workflow.id) })) };
  }

  private async mint(workflow: Workflow): Promise<string> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    await this.deps.store.saveWebhook({ workflowId: workflow.id, accountId: workflow.accountId, tokenHash: hash(token), createdAt: this.deps.clock.now().toISOString() });
    return token;
  }

  /** Starts a triggered run; a workflow paused or deleted meanwhile (409/404) is skipped, not an error to retry. */
  private async startQuietly(workflow: Workflow, kind: 'schedule' | 'event', options: { input: Record<string, unknown>; idempotencyKey: string }): Promise<Execution | undefined> {
    try {
      return await this.deps.runs().start(triggerPrincipal(workflow.accountId, kind, workflow.id), workflow.id, { ...options, trigger: kind });
    } catch (error) {
      if (isAppError(error) && (error.code === 'not_found' || (error.code === 'conflict' && error.field === 'status'))) {
        this.deps.logger?.info(`${kind} trigger skipped`, { workflow_id: workflow.id, reason: error.message });
        return undefined;
      }
      throw error;
    }
  }
}

export type { TriggerState, WorkflowTrigger };
