import { AppError, conflict, notFound } from '../errors.ts';
import type { Clock } from '../clock.ts';
import { isId, newId } from '../ids.ts';
import type { Page, PageRequest } from '../pagination.ts';
import type { Principal } from '../principal.ts';
import { isError } from '../../../statemachines/issues.ts';
import { allNodes, type WorkflowIr } from '../../../statemachines/ir.ts';
import { buildManifest } from './manifest.ts';
import { WEBHOOK_SECRET_KEY } from '../runner/capabilities.ts';
import { triggerOf } from '../triggers/trigger.ts';
import type { DefinitionCompiler, StateMachineProvisioner, WorkflowFilter, WorkflowRepository } from './ports.ts';
import type { DefinitionSource, Workflow, WorkflowStatus, WorkflowVersion } from './workflow.ts';

export interface WorkflowInput {
  name?: string | undefined;
  description?: string | null | undefined;
  tags?: string[] | undefined;
  status?: WorkflowStatus | undefined;
  source: DefinitionSource;
}

export interface WorkflowChanges {
  name?: string | undefined;
  description?: string | null | undefined;
  tags?: string[] | undefined;
  status?: WorkflowStatus | undefined;
}

export interface Validated {
  ir: WorkflowIr;
  asl: string;
  /** What would not stop saving the workflow but would stop a run. */
  warnings: ValidationWarning[];
}

export interface ValidationWarning {
  /** The node, as `nodes.<id>`. */
  path: string;
  /** `unsigned_webhook`: a webhook node will POST without a signature; `unknown_data_source`: a fetch_data node names no data source of the account. */
  code: 'unsigned_webhook' | 'unknown_data_source';
  message: string;
}

export class WorkflowService {
  constructor(
    private readonly repo: WorkflowRepository,
    private readonly compiler: DefinitionCompiler,
    private readonly machines: StateMachineProvisioner,
    private readonly clock: Clock,
  ) {}

  /**
   * Dry run: parse, validate and compile without saving anything. Invalid definitions are a 400
   * listing every issue. `secretKeys` (the account's secret names) lets it warn about webhook
   * nodes that would post unsigned.
   */
  async validate(principal: Principal, source: DefinitionSource, secretKeys?: ReadonlySet<string>, dataSources?: ReadonlySet<string>): Promise<Validated> {
    const ir = this.analyse(source);
    await this.checkSubworkflows(principal.accountId, ir);
    const warnings = allNodes(ir).flatMap((node): ValidationWarning[] => {
      const path = `nodes.${node.id}`;
      if (node.type === 'webhook' && node.params.signing_secret === undefined && secretKeys && !secretKeys.has(WEBHOOK_SECRET_KEY)) {
        return [{ path, code: 'unsigned_webhook', message: `the account has no ${WEBHOOK_SECRET_KEY} secret, so this webhook node posts without a signature; create that secret (or name one in signing_secret) to sign it` }];
      }
      if (node.type === 'fetch_data' && dataSources && typeof node.params.source === 'string' && !dataSources.has(node.params.source)) {
        return [{ path, code: 'unknown_data_source', message: `the account has no data source named "${node.params.source}" (POST /api/v1/data-sources): a run fails at this node` }];
      }
      return [];
    });
    return { ir, asl: this.compiler.compile(ir, { accountId: principal.accountId, workflowId: 'wf_validate' }), warnings };
  }

  async create(principal: Principal, input: WorkflowInput): Promise<Workflow> {
    const ir = this.analyse(input.source);
    const now = this.clock.now();
    const at = now.toISOString();
    const id = newId('workflow', now.getTime());
    const name = input.name ?? ir.metadata.name;
    if (!name) throw new AppError('validation_error', 'name is required (or metadata.name in the definition)', { field: 'name' });
    await this.checkSubworkflows(principal.accountId, ir);
    const asl = this.compiler.compile(ir, { accountId: principal.accountId, workflowId: id });
    const description = input.description ?? ir.metadata.description ?? null;
    const machine = await this.machines.publish({ accountId: principal.accountId, workflowId: id, name, asl, description: `v1 of ${name}` });
    const workflow: Workflow = {
      id,
      accountId: principal.accountId,
      name,
      description,
      status: input.status ?? 'active',
      tags: [...new Set(input.tags ?? [])],
      dialect: ir.dialect,
      source: input.source,
      trigger: triggerOf(ir),
      version: 1,
      revision: 1,
      machine,
      nodes: buildManifest(ir, asl),
      createdBy: principal.userId ?? null,
      createdAt: at,
      updatedAt: at,
    };
    try {
      await this.repo.create(workflow, this.versionOf(workflow, asl, principal));
    } catch (error) {
      // Nothing half-written: a machine without its record would be an orphan.
      await this.machines.remove(machine).catch(() => undefined);
      throw error;
    }
    return workflow;
  }

  async get(principal: Principal, workflowId: string): Promise<Workflow> {
    const wf = isId('workflow', workflowId) ? await this.repo.get(principal.accountId, workflowId) : undefined;
    if (!wf) throw notFound('Workflow', workflowId);
    return wf;
  }

  list(principal: Principal, filter: WorkflowFilter, page: PageRequest): Promise<Page<Workflow>> {
    return this.repo.list(principal.accountId, filter, page);
  }

  async versions(principal: Principal, workflowId: string, page: PageRequest): Promise<Page<WorkflowVersion>> {
    await this.get(principal, workflowId);
    return this.repo.versions(principal.accountId, workflowId, page);
  }

  /** PUT: a new definition publishes a new version and moves the `live` alias to it. */
  async publish(principal: Principal, workflowId: string, input: WorkflowInput, expectedRevision?: number): Promise<Workflow> {
    const current = await this.current(principal, workflowId, expectedRevision);
    const ir = this.analyse(input.source);
    await this.checkSubworkflows(principal.accountId, ir, workflowId);
    const asl = this.compiler.compile(ir, { accountId: principal.accountId, workflowId });
    const name = input.name ?? ir.metadata.name ?? current.name;
    const machine = await this.machines.publish({
      accountId: principal.accountId,
      workflowId,
      name,
      asl,
      description: `v${current.version + 1} of ${name}`,
      existing: current.machine,
    });
    const next: Workflow = {
      ...current,
      name,
      description: input.description !== undefined ? input.description : (ir.metadata.description ?? current.description),
      tags: input.tags ? [...new Set(input.tags)] : current.tags,
      status: input.status ?? current.status,
      dialect: ir.dialect,
      source: input.source,
      trigger: triggerOf(ir),
      version: current.version + 1,
      revision: current.revision + 1,
      machine,
      nodes: buildManifest(ir, asl),
      updatedAt: this.clock.now().toISOString(),
    };
    if (!(await this.repo.update(current, next, this.versionOf(next, asl, principal)))) throw stale(current);
    return next;
  }

  /** PATCH: lifecycle and labels; never republishes the machine. */
  async patch(principal: Principal, workflowId: string, changes: WorkflowChanges, expectedRevision?: number): Promise<Workflow> {
    const current = await this.current(principal, workflowId, expectedRevision);
    const next: Workflow = {
      ...current,
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.tags !== undefined ? { tags: [...new Set(changes.tags)] } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      revision: current.revision + 1,
      updatedAt: this.clock.now().toISOString(),
    };
    if (!(await this.repo.update(current, next))) throw stale(current);
    return next;
  }

  async delete(principal: Principal, workflowId: string, expectedRevision?: number): Promise<void> {
    const current = await this.current(principal, workflowId, expectedRevision);
    if (!(await this.repo.delete(current))) throw stale(current);
    await this.machines.remove(current.machine);
  }

  /** A paused or archived workflow refuses new runs (409). */
  assertRunnable(workflow: Workflow): void {
    if (workflow.status !== 'active') throw conflict(`Workflow ${workflow.id} is ${workflow.status}; set status to active to run it`, 'status');
  }

  private async current(principal: Principal, workflowId: string, expectedRevision: number | undefined): Promise<Workflow> {
    const current = await this.get(principal, workflowId);
    if (expectedRevision !== undefined && current.revision !== expectedRevision) throw stale(current);
    return current;
  }

  /**
   * Every subworkflow node names a workflow of this account (one of another account reads exactly like a
   * missing one), and none leads back to `self` through the published versions of the workflows it runs:
   * such a cycle would nest until the depth limit stops it (docs/api.md, "Subworkflows").
   */
  private async checkSubworkflows(accountId: string, ir: WorkflowIr, self?: string): Promise<void> {
    const targetsOf = (wf: Workflow | undefined) => (wf?.nodes ?? []).filter((n) => n.type === 'subworkflow').map((n) => String(n.payload.workflow_id ?? ''));
    const cache = new Map<string, Promise<Workflow | undefined>>();
    const load = (id: string) => {
      let read = cache.get(id);
      if (!read) cache.set(id, (read = isId('workflow', id) ? this.repo.get(accountId, id) : Promise.resolve(undefined)));
      return read;
    };
    for (const node of allNodes(ir).filter((n) => n.type === 'subworkflow')) {
      const target = String(node.params.workflow_id);
      const field = `${node.params_source}.workflow_id`;
      const refuse = (message: string, code: string) =>
        new AppError('validation_error', message, { field, details: { issues: [{ field, node: node.id, code, message }] } });
      if (target === self) throw refuse(`node "${node.id}": a workflow cannot run itself as a subworkflow (workflow_id ${target})`, 'subworkflow_cycle');
      if (!(await load(target))) throw refuse(`node "${node.id}": workflow_id ${target}: no workflow with this id in this account`, 'unknown_workflow');
      if (self === undefined) continue;
      // Breadth first through what the target runs; each workflow is read once, so a long chain stays cheap.
      const seen = new Set<string>([target]);
      const queue: string[][] = [[target]];
      while (queue.length) {
        const path = queue.shift()!;
        const next = targetsOf(await load(path.at(-1)!));
        if (next.includes(self)) throw refuse(`node "${node.id}": workflow_id ${target} leads back to this workflow (${[self, ...path, self].join(' → ')}), so runs would nest without end`, 'subworkflow_cycle');
        for (const id of next) {
          if (seen.has(id)) continue;
          seen.add(id);
          queue.push([...path, id]);
        }
      }
    }
  }

  private analyse(source: DefinitionSource): WorkflowIr {
    const { ir, issues } = this.compiler.analyse(source);
    const errors = issues.filter(isError);
    if (!ir || errors.length > 0) {
      const first = errors[0];
      throw new AppError('validation_error', first ? first.message : 'The definition is invalid', {
        field: first?.path ?? 'definition',
        details: { issues: errors.map((i) => ({ field: i.path, node: i.node, code: i.code, message: i.message })) },
      });
    }
    // Checked here too (not only when building the workflow) so a dry run reports a bad cron or zone.
    triggerOf(ir);
    return ir;
  }

  private versionOf(workflow: Workflow, asl: string, principal: Principal): WorkflowVersion {
    return {
      workflowId: workflow.id,
      accountId: workflow.accountId,
      version: workflow.version,
      source: workflow.source,
      dialect: workflow.dialect,
      asl,
      versionArn: workflow.machine.versionArn,
      createdBy: principal.userId ?? null,
      createdAt: workflow.updatedAt,
    };
  }
}

function stale(current: Workflow) {
  return conflict(`Version mismatch: the workflow is at revision ${current.revision}`, 'revision');
}
