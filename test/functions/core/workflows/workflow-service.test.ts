import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DefinitionCompiler, StateMachineProvisioner } from '../../../../functions/core/workflows/ports.ts';
import { WorkflowService } from '../../../../functions/core/workflows/workflow-service.ts';
import { DEFAULT_CONFIG, type WorkflowIr } from '../../../../statemachines/ir.ts';
import { workflowCompiler } from '../../../../functions/adapters/workflow-compiler.ts';
import { fixedClock, MemoryWorkflows, principal } from '../../../support/fakes.ts';


const ir = (name?: string): WorkflowIr => ({
  ir_version: 1,
  dialect: 'flowctl',
  metadata: name ? { name } : {},
  config: DEFAULT_CONFIG,
  nodes: [],
  edges: [],
  entry: [],
  source: '',
});

const compiler: DefinitionCompiler = {
  analyse: vi.fn((source) =>
    (source.tasks as unknown[] | undefined)?.length === 0
      ? { ir: undefined, issues: [{ path: 'tasks', code: 'invalid_definition' as const, message: 'tasks must not be empty' }] }
      : { ir: ir(source.definition ? 'From metadata' : undefined), issues: [] },
  ),
  compile: vi.fn(() => '{"StartAt":"x","States":{}}'),
};

describe('WorkflowService', () => {
  let repo: MemoryWorkflows;
  let machines: StateMachineProvisioner & { publish: ReturnType<typeof vi.fn>; remove: ReturnType<typeof vi.fn> };
  let service: WorkflowService;
  const me = principal();

  beforeEach(() => {
    repo = new MemoryWorkflows();
    machines = {
      publish: vi.fn(async ({ workflowId, existing }: { workflowId: string; existing?: { versionArn: string } }) => ({
        stateMachineArn: `arn:sm:${workflowId}`,
        versionArn: `arn:sm:${workflowId}:${existing ? Number(existing.versionArn.split(':').at(-1)) + 1 : 1}`,
        aliasArn: `arn:sm:${workflowId}:live`,
      })),
      remove: vi.fn(async () => undefined),
    };
    service = new WorkflowService(repo, compiler, machines, fixedClock());
  });

  it('creates version 1, provisions its machine and stores both', async () => {
    const wf = await service.create(me, { name: 'ETL', tags: ['a', 'a'], source: { tasks: [{}] } });
    expect(wf).toMatchObject({ name: 'ETL', status: 'active', version: 1, revision: 1, tags: ['a'], accountId: me.accountId, machine: { versionArn: `arn:sm:${wf.id}:1` } });
    expect(wf.id).toMatch(/^wf_/);
    expect(repo.versionsOf.get(wf.id)).toHaveLength(1);
    expect(compiler.compile).toHaveBeenCalledWith(expect.anything(), { accountId: me.accountId, workflowId: wf.id });
  });

  it('takes the name from definition metadata and requires one somewhere', async () => {
    expect((await service.create(me, { source: { definition: 'yaml' } })).name).toBe('From metadata');
    await expect(service.create(me, { source: { tasks: [{}] } })).rejects.toMatchObject({ code: 'validation_error', field: 'name' });
    expect(machines.publish).toHaveBeenCalledTimes(1);
  });

  it('rejects an invalid definition with every issue and provisions nothing', async () => {
    await expect(service.create(me, { name: 'x', source: { tasks: [] } })).rejects.toMatchObject({
      code: 'validation_error',
      field: 'tasks',
      details: { issues: [{ field: 'tasks', code: 'invalid_definition', message: 'tasks must not be empty' }] },
    });
    expect(machines.publish).not.toHaveBeenCalled();
  });

  it('removes the machine again when storing fails', async () => {
    repo.failCreate = true;
    await expect(service.create(me, { name: 'x', source: { tasks: [{}] } })).rejects.toThrow('ddb down');
    expect(machines.remove).toHaveBeenCalledTimes(1);
  });

  it('publishes a new version on PUT and keeps the machine', async () => {
    const wf = await service.create(me, { name: 'x', source: { tasks: [{}] } });
    const next = await service.publish(me, wf.id, { source: { tasks: [{}, {}] } });
    expect(next).toMatchObject({ version: 2, revision: 2, name: 'x', machine: { stateMachineArn: wf.machine.stateMachineArn, versionArn: `arn:sm:${wf.id}:2` } });
    expect(machines.publish).toHaveBeenLastCalledWith(expect.objectContaining({ existing: wf.machine }));
    expect((await service.versions(me, wf.id, { limit: 10, offset: 0, cursor: undefined })).total).toBe(2);
  });

  it('patches status without publishing, and refuses stale revisions', async () => {
    const wf = await service.create(me, { name: 'x', source: { tasks: [{}] } });
    const paused = await service.patch(me, wf.id, { status: 'paused' }, 1);
    expect(paused).toMatchObject({ status: 'paused', version: 1, revision: 2 });
    expect(machines.publish).toHaveBeenCalledTimes(1);
    expect(() => service.assertRunnable(paused)).toThrow(/paused/);
    await expect(service.patch(me, wf.id, { status: 'active' }, 1)).rejects.toMatchObject({ code: 'conflict', field: 'revision' });
  });

  it('deletes the record and then the machine; other tenants get 404', async () => {
    const wf = await service.create(me, { name: 'x', source: { tasks: [{}] } });
    const other = principal({ accountId: 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ' });
    await expect(service.get(other, wf.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.delete(other, wf.id)).rejects.toMatchObject({ code: 'not_found' });
    await service.delete(me, wf.id);
    expect(machines.remove).toHaveBeenCalledWith(wf.machine);
    await expect(service.get(me, wf.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('WorkflowService.validate', () => {
  it('has nothing to warn about once every node type runs (etl too: the data issue)', async () => {
    const real = workflowCompiler({ taskRunnerArn: 'arn:aws:lambda:us-east-1:123456789012:function:stepwise-dev-task-runner', stateMachineArnPrefix: 'arn:aws:states:us-east-1:123456789012:stateMachine:stepwise-dev-' });
    const service = new WorkflowService(new MemoryWorkflows(), real, { publish: vi.fn(), remove: vi.fn() }, fixedClock());
    const { warnings } = await service.validate(principal(), {
      tasks: [
        { name: 'fetch', type: 'http.request', payload: { url: 'https://example.com' } },
        { name: 'sign_off', type: 'approval', dependencies: ['fetch'], payload: { message: 'Ship it?' } },
        { name: 'train', type: 'etl', dependencies: ['sign_off'], payload: { source_url: 's3://data-in/d.csv', target_url: 'postgres://db/t' } },
        { name: 'check', type: 'generic', dependencies: ['train'], payload: { command: 'validate_schema' } },
        { name: 'build', type: 'ci', dependencies: ['check'], payload: { repo_url: 'https://github.com/user/repo.git', command: 'npm test' } },
      ],
    });
    expect(warnings).toEqual([]);
    expect((await service.validate(principal(), { tasks: [{ name: 'only', type: 'transform', payload: { expression: '1' } }] })).warnings).toEqual([]);
  });
});

describe('WorkflowService: subworkflow references', () => {
  const real = workflowCompiler({ taskRunnerArn: 'arn:aws:lambda:us-east-1:123456789012:function:stepwise-dev-task-runner', stateMachineArnPrefix: 'arn:aws:states:us-east-1:123456789012:stateMachine:stepwise-dev-' });
  const machines: StateMachineProvisioner = {
    publish: async ({ workflowId, existing }) => {
      const arn = `arn:aws:states:us-east-1:123456789012:stateMachine:stepwise-dev-${workflowId}`;
      return { stateMachineArn: arn, versionArn: `${arn}:${existing ? Number(existing.versionArn.split(':').at(-1)) + 1 : 1}`, aliasArn: `${arn}:live` };
    },
    remove: async () => undefined,
  };
  const me = principal();
  const leaf = { tasks: [{ name: 'one', type: 'transform', payload: { expression: '1' } }] };
  const calling = (workflowId: string) => ({ tasks: [{ name: 'call', type: 'subworkflow', payload: { workflow_id: workflowId } }] });
  let service: WorkflowService;
  beforeEach(() => {
    service = new WorkflowService(new MemoryWorkflows(), real, machines, fixedClock());
  });

  it('a subworkflow naming a workflow of the account validates without a warning', async () => {
    const child = await service.create(me, { name: 'Leaf', source: leaf });
    expect((await service.validate(me, calling(child.id))).warnings).toEqual([]);
  });

  it('refuses a missing id and another account’s id with the same message, naming the node and field', async () => {
    const theirs = await service.create(principal({ accountId: 'acct_01ARZ3NDEKTSV4RRFFQ69G5FZZ' }), { name: 'Theirs', source: leaf });
    const messages: string[] = [];
    for (const id of [theirs.id, 'wf_01ARZ3NDEKTSV4RRFFQ69G5FAV']) {
      for (const attempt of [() => service.validate(me, calling(id)), () => service.create(me, { name: 'Caller', source: calling(id) })]) {
        const error = await attempt().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toMatchObject({ code: 'validation_error', field: 'tasks[0].payload.workflow_id', details: { issues: [{ node: 'call', code: 'unknown_workflow' }] } });
        messages.push((error as Error).message.replace(id, '<id>'));
      }
    }
    expect(new Set(messages)).toEqual(new Set(['node "call": workflow_id <id>: no workflow with this id in this account']));
  });

  it('refuses a publish that would reach itself, directly or through a chain, and publishes nothing', async () => {
    const a = await service.create(me, { name: 'A', source: leaf });
    await expect(service.publish(me, a.id, { source: calling(a.id) })).rejects.toMatchObject({ code: 'validation_error', details: { issues: [{ node: 'call', code: 'subworkflow_cycle' }] } });
    const c = await service.create(me, { name: 'C', source: calling(a.id) });
    const b = await service.create(me, { name: 'B', source: calling(c.id) });
    await expect(service.publish(me, a.id, { source: calling(b.id) })).rejects.toMatchObject({ message: `node "call": workflow_id ${b.id} leads back to this workflow (${a.id} → ${b.id} → ${c.id} → ${a.id}), so runs would nest without end` });
    expect((await service.get(me, a.id)).version).toBe(1);
    // A chain that does not come back is fine.
    const d = await service.create(me, { name: 'D', source: leaf });
    expect((await service.publish(me, d.id, { source: calling(b.id) })).version).toBe(2);
  });
});
