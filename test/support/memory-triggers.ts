import type { EventType } from '../../functions/core/events/catalog.ts';
import type { EventSubscription, ScheduleProvisioner, ScheduleSpec, TriggerState, TriggerStore, WebhookCredential } from '../../functions/core/triggers/ports.ts';

/** TriggerStore in memory, with the DynamoDB store's shape: state per workflow, an event index, global hook credentials. */
export class MemoryTriggerStore implements TriggerStore {
  states = new Map<string, TriggerState>();
  hooks = new Map<string, WebhookCredential>();
  private key = (accountId: string, workflowId: string) => `${accountId}/${workflowId}`;

  async state(accountId: string, workflowId: string) {
    return this.states.get(this.key(accountId, workflowId));
  }
  async saveState(_previous: TriggerState | undefined, next: TriggerState) {
    this.states.set(this.key(next.accountId, next.workflowId), next);
  }
  async deleteState(previous: TriggerState) {
    this.states.delete(this.key(previous.accountId, previous.workflowId));
  }
  async subscribers(accountId: string, event: EventType): Promise<EventSubscription[]> {
    return [...this.states.values()].flatMap((s) =>
      s.accountId === accountId && s.trigger.type === 'event' && s.trigger.events.includes(event)
        ? [{ accountId, workflowId: s.workflowId, event, ...(s.trigger.filter ? { filter: s.trigger.filter } : {}) }]
        : [],
    );
  }
  async schedules() {
    return [...this.states.values()].filter((s) => s.trigger.type === 'schedule');
  }
  async webhook(workflowId: string) {
    return this.hooks.get(workflowId);
  }
  async saveWebhook(c: WebhookCredential) {
    this.hooks.set(c.workflowId, c);
  }
  async deleteWebhook(accountId: string, workflowId: string) {
    if (this.hooks.get(workflowId)?.accountId === accountId) this.hooks.delete(workflowId);
  }
}

/** Records what a ScheduleProvisioner was asked to do. */
export class FakeSchedules implements ScheduleProvisioner {
  calls: (['put', ScheduleSpec] | ['remove', string])[] = [];
  live = new Map<string, ScheduleSpec>();
  async put(spec: ScheduleSpec) {
    this.calls.push(['put', spec]);
    this.live.set(spec.workflowId, spec);
  }
  async remove(workflowId: string) {
    this.calls.push(['remove', workflowId]);
    this.live.delete(workflowId);
  }
}
