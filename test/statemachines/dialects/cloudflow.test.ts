import { describe, expect, it } from 'vitest';
import { NODE_TYPE_NAMES } from '../../../statemachines/node-types.ts';
import { compile, ir, issues } from '../support/fixtures.ts';
import { CLOUDFLOW_SEED as SEED_BODY } from '../support/flows.ts';

describe('CloudFlow dialect', () => {
  it('takes the seed\'s Create Workflow body: fetch_data, a transform script and send_email, in order', () => {
    const parsed = ir(SEED_BODY);
    expect(parsed.nodes.map((n) => [n.id, n.type, n.dependencies])).toEqual([
      ['step_1', 'fetch_data', []],
      ['step_2', 'transform', ['step_1']],
      ['step_3', 'send_email', ['step_2']],
    ]);
    expect(parsed.nodes[0]?.params).toEqual({ source: 'users_table', filters: { active: true } });
    expect(parsed.nodes[1]?.params).toEqual({ script: 'data.map(user => ({ ...user, segment: calculateSegment(user) }))' });
    expect(parsed.nodes[2]?.params).toEqual({ template_id: 'tpl_welcome_v2' });
  });

  it('names the previous step in the runner request of the nodes that read it (script, send_email), and keeps that step\'s output', () => {
    const machine = compile(SEED_BODY);
    const payloads = Object.values(machine.definition.States).map((s) => (s as { Parameters?: { Payload?: { node_id?: string; previous?: string[] } } }).Parameters?.Payload).filter((p) => p?.node_id);
    expect(payloads.map((p) => [p!.node_id, p!.previous])).toEqual([
      ['step_1', undefined],
      ['step_2', ['step_1']],
      ['step_3', ['step_2']],
    ]);
  });

  it('still rejects an unknown step type, naming the step and listing the valid types', () => {
    const found = issues({ name: 'x', trigger: { type: 'manual' }, steps: [{ type: 'fetch_everything' }] });
    expect(found.map((i) => [i.code, i.node, i.path])).toEqual([['unknown_type', 'step_1', 'steps[0].type']]);
    expect(found[0]?.message).toBe(`step "step_1": unknown type "fetch_everything"; valid types are ${NODE_TYPE_NAMES.join(', ')}`);
  });

  it('runs steps in order with default ids and inline params', () => {
    const parsed = ir({
      name: 'Sync',
      trigger: { type: 'schedule', cron: '0 * * * *', timezone: 'UTC' },
      steps: [
        { type: 'http.request', url: 'https://api.example.com/users', timeout: '10s' },
        { type: 'transform', id: 'shape', expression: '$.body.users', name: 'Shape users' },
        { type: 'webhook', url: 'https://hooks.example.com/done', max_retries: 0, timeout: '20s' },
      ],
    });
    expect(parsed.nodes.map((n) => [n.id, n.dependencies])).toEqual([
      ['step_1', []],
      ['shape', ['step_1']],
      ['step_3', ['shape']],
    ]);
    expect(parsed.trigger).toEqual({ type: 'schedule', cron: '0 * * * *', timezone: 'UTC' });
    expect(parsed.metadata.name).toBe('Sync');
    // `timeout` is an http.request param; on other types it is the step timeout.
    expect(parsed.nodes[0]).toMatchObject({ params: { url: 'https://api.example.com/users', timeout: '10s', method: 'GET' } });
    expect(parsed.nodes[0]?.timeout_seconds).toBeUndefined();
    expect(parsed.nodes[1]?.name).toBe('Shape users');
    expect(parsed.nodes[2]).toMatchObject({ timeout_seconds: 20, retry: { max_attempts: 1 } });
    expect(parsed.nodes[2]?.params).toEqual({ url: 'https://hooks.example.com/done', method: 'POST' });
  });

  it('continues a choice without a default with the following step, and honours next/end', () => {
    const parsed = ir({
      steps: [
        { type: 'choice', id: 'check', choices: [{ when: 'input.vip', next: 'notify' }] },
        { type: 'generic', id: 'score', command: 'score', end: true },
        { type: 'webhook', id: 'notify', url: 'https://hooks.example.com/vip' },
      ],
    });
    expect(parsed.edges).toEqual([
      { from: 'check', to: 'score', kind: 'default' },
      { from: 'check', to: 'notify', kind: 'choice' },
    ]);
  });

  it('does not run past a fail step, and reports steps nothing leads to', () => {
    const found = issues({ steps: [{ type: 'fail', error: 'Stop' }, { type: 'pass' }] });
    expect(found).toEqual([expect.objectContaining({ code: 'unreachable_node', node: 'step_2', path: 'steps[1]' })]);
  });

  it('validates the trigger', () => {
    expect(issues({ trigger: { type: 'cron' }, steps: [{ type: 'pass' }] })[0]).toMatchObject({ path: 'trigger.type' });
  });

  it('rejects a jump to a missing step', () => {
    expect(issues({ steps: [{ type: 'pass', next: 'nowhere' }] })[0]).toMatchObject({ code: 'unknown_next', node: 'step_1', field: 'next', path: 'steps[0].next' });
  });
});
