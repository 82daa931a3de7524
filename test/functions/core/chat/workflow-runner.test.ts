import { describe, expect, it } from 'vitest';
import { ExecutionWorkflowRunner } from '../../../../functions/core/chat/workflow-runner.ts';
import type { Execution } from '../../../../functions/core/executions/execution.ts';
import { newId } from '../../../../functions/core/ids.ts';
import type { Workflow } from '../../../../functions/core/workflows/workflow.ts';
import { MemoryWorkflows, principal } from '../../../support/fakes.ts';

const caller = principal();

function workflow(name: string, status: Workflow['status'] = 'active', accountId = caller.accountId): Workflow {
  const id = newId('workflow');
  const arn = `arn:aws:states:local:0:stateMachine:stepwise-local-${id}`;
  return { id, accountId, name, description: null, status, tags: [], dialect: 'flowctl', source: {}, version: 1, revision: 1, machine: { stateMachineArn: arn, versionArn: `${arn}:1`, aliasArn: `${arn}:live` }, nodes: [], createdBy: null, createdAt: '', updatedAt: '' };
}

function setup(...flows: Workflow[]) {
  const repo = new MemoryWorkflows();
  for (const w of flows) repo.items.set(w.id, w);
  const started: { workflowId: string; input: unknown }[] = [];
  const runner = new ExecutionWorkflowRunner(repo, {
    start: async (_p, workflowId, options) => {
      started.push({ workflowId, input: options?.input });
      return { id: 'exec_1', status: 'running' } as Execution;
    },
  });
  return { runner, started };
}

describe('ExecutionWorkflowRunner', () => {
  it('runs the one active workflow the name matches, passing object input', async () => {
    const nightly = workflow('Nightly export');
    const { runner, started } = setup(nightly, workflow('Weekly report'));
    expect(await runner.run(caller, 'nightly export', { day: '2026-01-01' })).toEqual({ kind: 'started', workflow: { id: nightly.id, name: 'Nightly export' }, execution: { id: 'exec_1', status: 'running' } });
    expect(started).toEqual([{ workflowId: nightly.id, input: { day: '2026-01-01' } }]);
  });

  it('asks when several names fit, and runs an exact id (the answer to that question)', async () => {
    const a = workflow('Export orders');
    const b = workflow('Export invoices');
    const { runner, started } = setup(a, b);
    const asked = await runner.run(caller, 'export');
    expect(asked).toEqual({ kind: 'ambiguous', candidates: expect.arrayContaining([{ id: a.id, name: a.name }, { id: b.id, name: b.name }]) });
    expect((await runner.run(caller, b.id)).kind).toBe('started');
    expect(started.map((s) => s.workflowId)).toEqual([b.id]);
  });

  it('finds nothing among paused workflows or other accounts’ workflows', async () => {
    const { runner, started } = setup(workflow('Nightly export', 'paused'), workflow('Backup', 'active', newId('account')));
    expect(await runner.run(caller, 'nightly export')).toEqual({ kind: 'not_found' });
    expect(await runner.run(caller, 'backup')).toEqual({ kind: 'not_found' });
    expect(started).toEqual([]);
  });

  it('issue 13 #16 (Low): a loose match is offered, not run; an exact name (any case or punctuation) runs', async () => {
    const conc = workflow('conc-wf');
    const { runner, started } = setup(conc);
    expect(await runner.run(caller, 'A wf')).toEqual({ kind: 'unsure', candidate: { id: conc.id, name: 'conc-wf' } });
    expect(await runner.run(caller, 'conc')).toEqual({ kind: 'unsure', candidate: { id: conc.id, name: 'conc-wf' } });
    expect(started).toEqual([]);
    expect((await runner.run(caller, 'Conc WF')).kind).toBe('started');
    expect((await runner.run(caller, conc.id)).kind).toBe('started');
    expect(started.map((s) => s.workflowId)).toEqual([conc.id, conc.id]);
  });
});
