import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventType } from '../../core/events/catalog.ts';
import type { EventSubscription, TriggerState, TriggerStore, WebhookCredential } from '../../core/triggers/ports.ts';
import type { WorkflowTrigger } from '../../core/triggers/trigger.ts';
import { batchDelete } from './batch.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';
import { forEachPage } from './paging.ts';

type Item = Record<string, unknown>;

const eventsOf = (trigger: WorkflowTrigger | undefined): readonly EventType[] => (trigger?.type === 'event' ? trigger.events : []);

/**
 * Trigger records in the single table: the state row `TRIGGER#<wf>` (schedules also on gsi1
 * `TRIGGERS#SCHEDULE`, for the local loop), one row per listened event type `TRIGGER#<wf>#EVENT#<type>`
 * on gsi1 `<account>#TRIGGER#EVENT#<type>` (the dispatcher's lookup), and the global `HOOK#<wf>` credential.
 */
export class DynamoTriggerStore implements TriggerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async state(accountId: string, workflowId: string): Promise<TriggerState | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.triggerState(accountId, workflowId), ConsistentRead: true }));
    return out.Item ? toState(out.Item) : undefined;
  }

  async saveState(previous: TriggerState | undefined, next: TriggerState): Promise<void> {
    const kept = new Set(eventsOf(next.trigger));
    const stale = eventsOf(previous?.trigger).filter((e) => !kept.has(e));
    const filter = next.trigger.type === 'event' ? next.trigger.filter : undefined;
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: stateItem(next) } },
          ...stale.map((event) => ({ Delete: { TableName: this.tableName, Key: keys.triggerEvent(next.accountId, next.workflowId, event) } })),
          ...[...kept].map((event) => ({
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.triggerEvent(next.accountId, next.workflowId, event),
                entity: 'trigger_event',
                gsi1pk: keys.eventSubscribers(next.accountId, event),
                gsi1sk: next.workflowId,
                account_id: next.accountId,
                workflow_id: next.workflowId,
                event,
                ...(filter ? { filter } : {}),
              },
            },
          })),
        ],
      }),
    );
  }

  async deleteState(previous: TriggerState): Promise<void> {
    const { accountId, workflowId } = previous;
    await batchDelete(this.db, this.tableName, [keys.triggerState(accountId, workflowId), ...eventsOf(previous.trigger).map((e) => keys.triggerEvent(accountId, workflowId, e))]);
  }

  async subscribers(accountId: string, event: EventType): Promise<EventSubscription[]> {
    const out: EventSubscription[] = [];
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.eventSubscribers(accountId, event) },
      },
      async (items) => {
        for (const i of items) {
          out.push({ accountId: String(i.account_id), workflowId: String(i.workflow_id), event, ...(i.filter ? { filter: i.filter as EventSubscription['filter'] } : {}) });
        }
      },
    );
    return out;
  }

  async schedules(): Promise<TriggerState[]> {
    const out: TriggerState[] = [];
    await forEachPage(
      this.db,
      { TableName: this.tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.allSchedules } },
      async (items) => {
        out.push(...items.map(toState));
      },
    );
    return out;
  }

  async webhook(workflowId: string): Promise<WebhookCredential | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.webhookCredential(workflowId), ConsistentRead: true }));
    const i = out.Item;
    return i ? { workflowId: String(i.workflow_id), accountId: String(i.account_id), tokenHash: String(i.token_hash), createdAt: String(i.created_at) } : undefined;
  }

  async saveWebhook(c: WebhookCredential): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.webhookCredential(c.workflowId), entity: 'webhook_credential', workflow_id: c.workflowId, account_id: c.accountId, token_hash: c.tokenHash, created_at: c.createdAt },
        // Workflow ids are global ULIDs, but a credential is never handed from one account to another.
        ConditionExpression: 'attribute_not_exists(pk) OR account_id = :account',
        ExpressionAttributeValues: { ':account': c.accountId },
      }),
    );
  }

  async deleteWebhook(accountId: string, workflowId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.webhookCredential(workflowId),
          ConditionExpression: 'attribute_not_exists(pk) OR account_id = :account',
          ExpressionAttributeValues: { ':account': accountId },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}

function stateItem(s: TriggerState): Item {
  return {
    ...keys.triggerState(s.accountId, s.workflowId),
    entity: 'trigger',
    ...(s.trigger.type === 'schedule' ? { gsi1pk: keys.allSchedules, gsi1sk: `${s.accountId}#${s.workflowId}` } : {}),
    account_id: s.accountId,
    workflow_id: s.workflowId,
    trigger: s.trigger,
    enabled: s.enabled,
    updated_at: s.updatedAt,
  };
}

function toState(i: Item): TriggerState {
  return {
    accountId: String(i.account_id),
    workflowId: String(i.workflow_id),
    trigger: i.trigger as WorkflowTrigger,
    enabled: i.enabled === true,
    updatedAt: String(i.updated_at),
  };
}
