import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../core/pagination.ts';
import type { WorkflowFilter, WorkflowRepository } from '../../core/workflows/ports.ts';
import type { Workflow, WorkflowVersion } from '../../core/workflows/workflow.ts';
import { counterUpdate, mergeDeltas } from './counters.ts';
import { failedConditionIndexes, isTransactionConflict } from './errors.ts';
import { counters, keys } from './keys.ts';
import { batchDelete, batchGet } from './batch.ts';
import { forEachPage, queryPage, type QueryPlan } from './paging.ts';
import { assertItemsFit } from './item-size.ts';
import { definitionFieldOf } from '../../../statemachines/ir.ts';

type Item = Record<string, unknown>;

/**
 * A workflow item holds the definition as written and every node's params again (its manifest), so a
 * definition under the 256 KB cap can still outgrow DynamoDB's 400 KB item: refused naming the field.
 */
function fits(workflow: Workflow, items: Item[]): void {
  const field = definitionFieldOf(workflow.dialect);
  assertItemsFit(items, field, `This workflow (its ${field} as written, and each node's params in its node list)`);
}

export class DynamoWorkflowRepository implements WorkflowRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(workflow: Workflow, version: WorkflowVersion): Promise<void> {
    const item = toItem(workflow);
    const versioned = versionItem(version);
    fits(workflow, [item, versioned]);
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: this.tableName, Item: versioned, ConditionExpression: 'attribute_not_exists(pk)' } },
          counterUpdate(this.tableName, workflow.accountId, countsOf(workflow, 1))!,
        ],
      }),
    );
  }

  async get(accountId: string, workflowId: string): Promise<Workflow | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.workflow(accountId, workflowId) }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async update(previous: Workflow, next: Workflow, version?: WorkflowVersion): Promise<boolean> {
    const counterChange = counterUpdate(this.tableName, next.accountId, mergeDeltas(countsOf(previous, -1), countsOf(next, 1)));
    const item = toItem(next);
    const versioned = version ? versionItem(version) : undefined;
    fits(next, versioned ? [item, versioned] : [item]);
    return this.conditional(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: item,
              ConditionExpression: '#r = :expected',
              ExpressionAttributeNames: { '#r': 'revision' },
              ExpressionAttributeValues: { ':expected': previous.revision },
            },
          },
          ...(versioned ? [{ Put: { TableName: this.tableName, Item: versioned, ConditionExpression: 'attribute_not_exists(pk)' } }] : []),
          ...(counterChange ? [counterChange] : []),
        ],
      }),
    );
  }

  async delete(previous: Workflow): Promise<boolean> {
    const deleted = await this.conditional(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: this.tableName,
              Key: keys.workflow(previous.accountId, previous.id),
              ConditionExpression: '#r = :expected',
              ExpressionAttributeNames: { '#r': 'revision' },
              ExpressionAttributeValues: { ':expected': previous.revision },
            },
          },
          counterUpdate(this.tableName, previous.accountId, countsOf(previous, -1))!,
        ],
      }),
    );
    // Versions are only reachable through their workflow, so removing them after is safe to repeat.
    if (deleted) await this.deleteVersions(previous);
    return deleted;
  }

  async list(accountId: string, filter: WorkflowFilter, page: PageRequest): Promise<Page<Workflow>> {
    if (filter.lastRunStatus) return this.listByLastRun(accountId, filter, page);
    const res = await queryPage(this.db, this.tableName, planFor(accountId, filter), page);
    return { items: res.items.map(fromItem), total: res.total, nextCursor: res.nextCursor };
  }

  /**
   * Pages over the workflows' run-stats items indexed by their latest run's status, then reads the
   * page's workflows by key (a workflow and its stats item are deleted together).
   */
  private async listByLastRun(accountId: string, filter: WorkflowFilter, page: PageRequest): Promise<Page<Workflow>> {
    const value = keys.workflowsByLastRun(accountId, filter.lastRunStatus!);
    const names: Record<string, string> = { '#pk': 'gsi1pk' };
    const values: Record<string, unknown> = { ':pk': value };
    let key = '#pk = :pk';
    if (filter.createdAfter) {
      names['#sk'] = 'gsi1sk';
      values[':from'] = keys.workflowCreatedFrom(filter.createdAfter).slice('WF#'.length);
      key += ' AND #sk >= :from';
    }
    const plan: QueryPlan = {
      input: { IndexName: 'gsi1', KeyConditionExpression: key, ExpressionAttributeNames: names, ExpressionAttributeValues: values, ScanIndexForward: false },
      partition: { attr: 'gsi1pk', value },
      keyAttrs: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
    };
    const res = await queryPage(this.db, this.tableName, plan, page);
    const ids = res.items.map((i) => String(i.workflow_id));
    const found = await batchGet(this.db, this.tableName, ids.map((id) => keys.workflow(accountId, id)));
    const byId = new Map(found.map((i) => [String(i.id), fromItem(i)]));
    return { items: ids.flatMap((id) => byId.get(id) ?? []), total: res.total, nextCursor: res.nextCursor };
  }

  async versions(accountId: string, workflowId: string, page: PageRequest): Promise<Page<WorkflowVersion>> {
    const pk = keys.accountPrefix(accountId);
    const plan: QueryPlan = {
      input: {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': pk, ':sk': keys.workflowVersionPrefix(workflowId) },
        ScanIndexForward: false,
      },
      partition: { attr: 'pk', value: pk },
      keyAttrs: ['pk', 'sk'],
    };
    const res = await queryPage(this.db, this.tableName, plan, page);
    return { items: res.items.map(fromVersionItem), total: res.total, nextCursor: res.nextCursor };
  }

  async version(accountId: string, workflowId: string, version: number): Promise<WorkflowVersion | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.workflowVersion(accountId, workflowId, version) }));
    return out.Item ? fromVersionItem(out.Item) : undefined;
  }

  private async deleteVersions(workflow: Workflow): Promise<void> {
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.accountPrefix(workflow.accountId), ':sk': keys.workflowVersionPrefix(workflow.id) },
        ProjectionExpression: 'pk, sk',
      },
      (items) => batchDelete(this.db, this.tableName, items.map((i) => ({ pk: String(i.pk), sk: String(i.sk) }))),
    );
    await batchDelete(this.db, this.tableName, [keys.workflowStats(workflow.accountId, workflow.id)]);
  }

  private async conditional(command: TransactWriteCommand): Promise<boolean> {
    try {
      await this.db.send(command);
      return true;
    } catch (error) {
      if (failedConditionIndexes(error) || isTransactionConflict(error)) return false;
      throw error;
    }
  }
}

function countsOf(wf: Workflow, sign: 1 | -1): Record<string, number> {
  return { [counters.workflowsTotal]: sign, [counters.workflowStatus(wf.status)]: sign };
}

export function planFor(accountId: string, filter: WorkflowFilter): QueryPlan {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  if (filter.tag !== undefined) {
    names['#tags'] = 'tags';
    values[':tag'] = filter.tag;
    filters.push('contains(#tags, :tag)');
  }
  const onlyStatus = filter.tag === undefined && filter.createdAfter === undefined;
  if (filter.status) {
    const value = keys.workflowByStatus(accountId, filter.status);
    names['#pk'] = 'gsi1pk';
    values[':pk'] = value;
    let key = '#pk = :pk';
    if (filter.createdAfter) {
      names['#sk'] = 'gsi1sk';
      values[':from'] = keys.workflowCreatedFrom(filter.createdAfter).slice('WF#'.length);
      key += ' AND #sk >= :from';
    }
    return {
      input: { IndexName: 'gsi1', KeyConditionExpression: key, ExpressionAttributeNames: names, ExpressionAttributeValues: values, ScanIndexForward: false, ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}) },
      partition: { attr: 'gsi1pk', value },
      keyAttrs: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      counter: onlyStatus ? { accountId, attr: counters.workflowStatus(filter.status) } : undefined,
    };
  }
  const pk = keys.accountPrefix(accountId);
  names['#pk'] = 'pk';
  names['#sk'] = 'sk';
  values[':pk'] = pk;
  let key = '#pk = :pk AND begins_with(#sk, :prefix)';
  values[':prefix'] = keys.workflowPrefix;
  if (filter.createdAfter) {
    delete values[':prefix'];
    values[':from'] = keys.workflowCreatedFrom(filter.createdAfter);
    values[':to'] = `${keys.workflowPrefix}~`;
    key = '#pk = :pk AND #sk BETWEEN :from AND :to';
  }
  return {
    input: { KeyConditionExpression: key, ExpressionAttributeNames: names, ExpressionAttributeValues: values, ScanIndexForward: false, ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}) },
    partition: { attr: 'pk', value: pk },
    keyAttrs: ['pk', 'sk'],
    counter: onlyStatus ? { accountId, attr: counters.workflowsTotal } : undefined,
  };
}

function toItem(w: Workflow): Item {
  return {
    ...keys.workflow(w.accountId, w.id),
    entity: 'workflow',
    gsi1pk: keys.workflowByStatus(w.accountId, w.status),
    gsi1sk: w.id,
    id: w.id,
    account_id: w.accountId,
    name: w.name,
    description: w.description,
    status: w.status,
    tags: [...w.tags],
    dialect: w.dialect,
    source: w.source,
    ...(w.trigger ? { trigger: w.trigger } : {}),
    version: w.version,
    revision: w.revision,
    state_machine_arn: w.machine.stateMachineArn,
    version_arn: w.machine.versionArn,
    alias_arn: w.machine.aliasArn,
    nodes: w.nodes,
    created_by: w.createdBy,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}

function fromItem(i: Item): Workflow {
  return {
    id: String(i.id),
    accountId: String(i.account_id),
    name: String(i.name),
    description: (i.description as string | null | undefined) ?? null,
    status: i.status as Workflow['status'],
    tags: (i.tags as string[] | undefined) ?? [],
    dialect: i.dialect as Workflow['dialect'],
    source: (i.source as Workflow['source'] | undefined) ?? {},
    ...(i.trigger ? { trigger: i.trigger as Workflow['trigger'] } : {}),
    version: Number(i.version),
    revision: Number(i.revision),
    machine: { stateMachineArn: String(i.state_machine_arn), versionArn: String(i.version_arn), aliasArn: String(i.alias_arn) },
    nodes: (i.nodes as Workflow['nodes'] | undefined) ?? [],
    createdBy: (i.created_by as string | null | undefined) ?? null,
    createdAt: String(i.created_at),
    updatedAt: String(i.updated_at),
  };
}

/** ASL can outgrow the definition many times over; gzip keeps a 500-node machine inside DynamoDB's 400 KB item limit. */
function versionItem(v: WorkflowVersion): Item {
  return {
    ...keys.workflowVersion(v.accountId, v.workflowId, v.version),
    entity: 'workflow_version',
    workflow_id: v.workflowId,
    account_id: v.accountId,
    version: v.version,
    dialect: v.dialect,
    source: v.source,
    asl_gz: gzipSync(v.asl),
    version_arn: v.versionArn,
    created_by: v.createdBy,
    created_at: v.createdAt,
  };
}

function fromVersionItem(i: Item): WorkflowVersion {
  return {
    workflowId: String(i.workflow_id),
    accountId: String(i.account_id),
    version: Number(i.version),
    dialect: i.dialect as WorkflowVersion['dialect'],
    source: (i.source as WorkflowVersion['source'] | undefined) ?? {},
    asl: gunzipSync(i.asl_gz as Uint8Array).toString('utf8'),
    versionArn: String(i.version_arn),
    createdBy: (i.created_by as string | null | undefined) ?? null,
    createdAt: String(i.created_at),
  };
}

/** The item → Workflow conversion, shared with the change stream's decoder (stream-changes.ts). */
export { fromItem as workflowFromItem };
