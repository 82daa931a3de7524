import { describe, expect, it } from 'vitest';
import { compileNaive, compileWorkflow } from '../../../statemachines/compile/compile.ts';
import type { AslMapState, AslParallelState, AslState, AslStateMachine, AslTaskState } from '../../../statemachines/asl/types.ts';
import { validateAsl } from '../../../statemachines/asl/validate-asl.ts';
import { buildManifest } from '../../../functions/core/workflows/manifest.ts';
import { compile, flowctl, ir, OPTIONS, task } from '../support/fixtures.ts';
import { FLOWCTL_SEED, FLOWRUNNER_SEED as SEED_DEFINITION, N_DAG, ORDER_FLOW } from '../support/flows.ts';
import { randomDag } from '../support/random-dags.ts';

/** Every state in the machine, nested branches and iterators included. */
function allStates(machine: { States: Record<string, AslState> }): Array<[string, AslState]> {
  const out: Array<[string, AslState]> = [];
  for (const [name, state] of Object.entries(machine.States)) {
    out.push([name, state]);
    if (state.Type === 'Parallel') for (const b of state.Branches) out.push(...allStates(b));
    if (state.Type === 'Map') out.push(...allStates(state.ItemProcessor));
  }
  return out;
}

const taskState = (m: AslStateMachine, name: string) => allStates(m).find(([n]) => n === name)?.[1] as AslTaskState;

/** ASL snapshots are real JSON files (in emission order) so they can be read, diffed and pasted into the console. */
const asl = (definition: unknown) => `${JSON.stringify(definition, null, 2)}\n`;

describe('compileWorkflow: ASL snapshots', () => {
  it('FlowRunner seed', async () => {
    await expect(asl(compile({ definition: SEED_DEFINITION }).definition)).toMatchFileSnapshot('__snapshots__/flowrunner-seed.asl.json');
  });

  it('FlowCtl seed', async () => {
    await expect(asl(compile(FLOWCTL_SEED).definition)).toMatchFileSnapshot('__snapshots__/flowctl-seed.asl.json');
  });

  it('order flow: choice, parallel node, map with a resolved item list, wait, fail', async () => {
    await expect(asl(compile(ORDER_FLOW).definition)).toMatchFileSnapshot('__snapshots__/order-flow.asl.json');
  });

  it('non-series-parallel DAG (gated layout)', async () => {
    await expect(asl(compile(N_DAG).definition)).toMatchFileSnapshot('__snapshots__/n-dag.asl.json');
  });

  it('non-series-parallel DAG (staged layout, gates off)', async () => {
    await expect(asl(compile(N_DAG, { gates: false }).definition)).toMatchFileSnapshot('__snapshots__/n-dag-staged.asl.json');
  });

  it('naive level-by-level reference', async () => {
    const result = compileNaive(ir(flowctl(['a', 'b', 'c', 'd', 'e'], [['a', 'b'], ['b', 'c'], ['d', 'e']])), OPTIONS);
    expect(result.ok && validateAsl(result.definition).valid).toBe(true);
    await expect(asl(result.ok && result.definition)).toMatchFileSnapshot('__snapshots__/naive-levels.asl.json');
  });
});

describe('compileWorkflow: structure and contract', () => {
  it('is deterministic (byte-identical JSON)', () => {
    const twice = (body: unknown) => [compileWorkflow(ir(body), OPTIONS), compileWorkflow(ir(structuredClone(body)), OPTIONS)].map((r) => (r.ok ? r.json : ''));
    for (const body of [ORDER_FLOW, N_DAG]) {
      const [a, b] = twice(body);
      expect(a).toBe(b);
    }
    const { n, edges } = randomDag(200, 11);
    const [a, b] = twice(flowctl(Array.from({ length: n }, (_, i) => `t${i}`), edges.map(([x, y]) => [`t${x}`, `t${y}`]), { max_concurrency: 7 }));
    expect(a).toBe(b);
    expect(a?.length).toBeGreaterThan(1000);
  });

  it('compiles a stored (JSON round-tripped) IR to the same bytes', () => {
    const workflow = ir(ORDER_FLOW);
    const stored = JSON.parse(JSON.stringify(workflow)) as typeof workflow;
    const [a, b] = [compileWorkflow(workflow, OPTIONS), compileWorkflow(stored, OPTIONS)].map((r) => (r.ok ? r.json : ''));
    expect(b).toBe(a);
  });

  it('emits the task-runner payload contract on every runner Task', () => {
    const { definition, task_states } = compile(ORDER_FLOW);
    const fetch = taskState(definition, 'fetch');
    expect(fetch).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: OPTIONS.taskRunnerArn,
        Payload: {
          node_id: 'fetch',
          node_type: 'http.request',
          action: 'execute',
          params: { url: 'https://shop.example.com/orders/{{input.order_id}}', method: 'GET', headers: { Authorization: 'Bearer {{secrets.SHOP_TOKEN}}' } },
          account_id: OPTIONS.accountId,
          workflow_id: OPTIONS.workflowId,
          'execution_id.$': '$$.Execution.Id',
          'input.$': '$$.Execution.Input',
          'retry_count.$': '$$.State.RetryCount',
        },
      },
      ResultPath: null,
      TimeoutSeconds: 20,
    });
    // Inside a map iteration the input comes from the envelope, plus the map context.
    expect(taskState(definition, 'reserve').Parameters?.Payload).toMatchObject({
      'input.$': '$.input',
      map: { node_id: 'ship', 'item.$': '$.item', 'index.$': '$.index', 'key.$': '$.key' },
    });
    expect(Object.keys(task_states).toSorted()).toEqual(['fetch', 'invoice', 'notify', 'reserve', 'route', 'ship']);
    expect(task_states.route).toEqual({ node_id: 'route', node_type: 'choice', action: 'choose', callback: false });
    expect(task_states.ship?.action).toBe('resolve_items');
  });

  it('never puts a resolved template or secret into the machine', () => {
    const { json } = compile(ORDER_FLOW);
    expect(json).toContain('{{secrets.SHOP_TOKEN}}');
    expect(json).not.toMatch(/"Authorization":"Bearer [^{]/);
  });

  it('maps retry policies (MaxAttempts counts retries) and keeps non-retryable errors out', () => {
    const { definition } = compile(ORDER_FLOW);
    expect(taskState(definition, 'fetch').Retry).toEqual([
      { ErrorEquals: ['Stepwise.NonRetryable', 'Stepwise.Cancelled'], MaxAttempts: 0 },
      { ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' },
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 3, MaxDelaySeconds: 30, JitterStrategy: 'FULL' },
    ]);
    // max_retries: 1 → two attempts → one retry.
    expect(taskState(definition, 'reserve').Retry?.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], MaxAttempts: 1 });
    const noRetry = compile({ tasks: [task('a', [], { max_retries: 0 })] }, { lambdaServiceRetry: false, jitter: 'NONE' });
    expect(taskState(noRetry.definition, 'a').Retry).toEqual([{ ErrorEquals: ['Stepwise.NonRetryable', 'Stepwise.Cancelled'], MaxAttempts: 0 }]);
  });

  it('rounds sub-second delays up and sets the machine timeout', () => {
    const { definition } = compile({ config: { timeout: '90s', retry_policy: { initial_delay: '500ms', max_delay: '200ms' } }, tasks: [task('a')] });
    expect(definition.TimeoutSeconds).toBe(90);
    expect(taskState(definition, 'a').Retry?.at(-1)).toMatchObject({ IntervalSeconds: 1, MaxDelaySeconds: 1 });
  });

  it('routes every runner failure to a Fail state that names the node', () => {
    const { definition } = compile(ORDER_FLOW);
    for (const [name, state] of allStates(definition)) {
      if (state.Type !== 'Task') continue;
      const catcher = state.Catch?.[0];
      expect(catcher?.ErrorEquals, name).toEqual(['States.ALL']);
      expect(catcher?.Next).toBe(`${name} (failed)`);
    }
    const reserveFailed = allStates(definition).find(([n]) => n === 'reserve (failed)')?.[1];
    expect(reserveFailed).toEqual({
      Type: 'Pass',
      Parameters: { failed_node: 'reserve', node_type: 'http.request', 'error.$': '$.error.Error', 'cause.$': '$.error.Cause', map_node: 'ship', 'map_key.$': '$.key' },
      Next: expect.stringMatching(/^Format failure \d+$/),
    });
    const unknown = allStates(definition).find(([n]) => n === 'unknown')?.[1];
    expect(unknown).toEqual({ Type: 'Fail', Error: 'UnknownOrderState', Cause: JSON.stringify({ failed_node: 'unknown', node_type: 'fail', error: 'UnknownOrderState', cause: 'order status not recognised' }) });
  });

  it('lowers choice, wait, pass and fail to native states where it can', () => {
    const { definition } = compile({
      definition: {
        nodes: {
          pause: { type: 'wait', params: { duration: '90s' }, next: 'until' },
          until: { type: 'wait', params: { until: '2030-01-01T02:00:00+02:00' }, next: 'note' },
          note: { type: 'pass', params: { result: { ok: true } }, next: 'dyn' },
          dyn: { type: 'wait', params: { seconds: '{{input.delay}}' } },
        },
      },
    });
    expect(definition.States.pause).toEqual({ Type: 'Wait', Seconds: 90, Next: 'until' });
    expect(definition.States.until).toEqual({ Type: 'Wait', Timestamp: '2030-01-01T00:00:00Z', Next: 'note' });
    expect(definition.States.note).toEqual({ Type: 'Pass', ResultPath: null, Next: 'dyn' });
    expect(definition.States.dyn).toMatchObject({ Type: 'Task', ResultSelector: { 'seconds.$': '$.Payload.seconds', 'scope.$': '$$.Execution.Input' }, Next: 'dyn (wait)' });
    expect(definition.States['dyn (wait)']).toEqual({ Type: 'Wait', SecondsPath: '$.seconds', End: true, OutputPath: null });
  });

  it('runs a pass node in the runner when a template reads its output', () => {
    const { task_states } = compile({ steps: [{ type: 'pass', id: 'p', result: 1 }, { type: 'webhook', url: 'https://x.test', body: '{{steps.p.output}}' }] });
    expect(task_states.p?.action).toBe('execute');
  });

  it('uses a callback for approvals; a subworkflow is prepare → startExecution(.sync:2) on the child’s live alias → record', () => {
    const { definition, task_states } = compile(
      {
        steps: [
          { type: 'approval', id: 'ok', timeout: '2d' },
          { type: 'subworkflow', id: 'child', workflow_id: 'wf_child', input: { who: '{{input.user}}' }, timeout: '10m' },
          { type: 'subworkflow', id: 'fire', workflow_id: 'wf_other', wait: false, input: { n: '{{input.n}}' } },
        ],
      },
      { stateMachineArnPrefix: 'arn:aws:states:us-east-1:123456789012:stateMachine:stepwise-' },
    );
    expect(definition.States.ok).toMatchObject({ Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', TimeoutSeconds: 172_800, Parameters: { Payload: { 'task_token.$': '$$.Task.Token' } } });
    expect(definition.States.child).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { Payload: { action: 'prepare_subworkflow', node_type: 'subworkflow' } },
      ResultSelector: { 'name.$': '$.Payload.name', 'input.$': '$.Payload.input', 'scope.$': '$$.Execution.Input' },
      Next: 'child (start)',
    });
    expect(definition.States['child (start)']).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:stepwise-wf_child:live', 'Name.$': '$.name', 'Input.$': '$.input' },
      ResultPath: null,
      TimeoutSeconds: 600,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.child_error', Next: 'child (child failed)' }],
      Next: 'child (record)',
    });
    expect(definition.States['child (record)']).toMatchObject({ Parameters: { Payload: { action: 'record_subworkflow', child: { 'name.$': '$.name' } } }, OutputPath: '$.scope' });
    expect(definition.States['child (child failed)']).toMatchObject({ Parameters: { Payload: { action: 'record_subworkflow', child: { 'name.$': '$.name', 'error.$': '$.child_error' } } } });
    expect(definition.States['child (child failed)']).not.toHaveProperty('Retry');
    expect(definition.States['fire (start)']).toMatchObject({ Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:stepwise-wf_other:live' } });
    expect(definition.States['fire (start)']).not.toHaveProperty('TimeoutSeconds');
    expect(task_states.child).toMatchObject({ action: 'prepare_subworkflow', callback: false });
    // Templates stay unresolved in the definition: the child's input is resolved by the runner at run time.
    expect(JSON.stringify(definition)).toContain('{{input.n}}');
  });

  it('keeps subworkflow answers in the iteration envelope inside a map', () => {
    const { definition } = compile(
      { steps: [{ type: 'map', id: 'each', items: '{{input.xs}}', iterator: [{ type: 'subworkflow', id: 'one', workflow_id: 'wf_child', input: { x: '{{item}}' } }] }] },
      { stateMachineArnPrefix: 'arn:aws:states:us-east-1:123456789012:stateMachine:stepwise-' },
    );
    const inner = (definition.States.each as AslMapState).ItemProcessor.States;
    expect(inner.one).toMatchObject({ ResultPath: '$.child', Parameters: { Payload: { action: 'prepare_subworkflow', map: { node_id: 'each' } } } });
    expect(inner['one (start)']).toMatchObject({ Parameters: { 'Name.$': '$.child.name', 'Input.$': '$.child.input' } });
  });

  it('approvals: the timeout is TimeoutSeconds, a rejection or timeout is never retried, a timeout fails the node as Stepwise.ApprovalTimeout, and no secret value is compiled in', () => {
    const { definition } = compile({
      tasks: [
        { name: 'ok', type: 'approval', max_retries: 2, payload: { message: 'Deploy {{input.version}}?', approvers: ['ada@example.com'], timeout: '90s' } },
        { name: 'next', type: 'transform', dependencies: ['ok'], payload: { expression: 'steps.ok.output.decision' } },
      ],
    });
    const ok = definition.States.ok as AslTaskState;
    expect(ok).toMatchObject({ Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', TimeoutSeconds: 90, ResultPath: null, Next: 'next' });
    expect(ok.Retry?.[0]).toEqual({ ErrorEquals: ['Stepwise.ApprovalRejected', 'States.Timeout'], MaxAttempts: 0 });
    expect(ok.Retry?.some((r) => r.ErrorEquals.includes('States.ALL') && (r.MaxAttempts ?? 0) > 0)).toBe(true);
    expect(ok.Catch?.[0]).toEqual({ ErrorEquals: ['States.Timeout'], Next: 'ok (timed out)' });
    expect(definition.States['ok (timed out)']).toMatchObject({
      Type: 'Pass',
      Parameters: { failed_node: 'ok', node_type: 'approval', error: 'Stepwise.ApprovalTimeout', cause: 'Stepwise.ApprovalTimeout: no decision within 90 seconds' },
    });
    // Templates travel unresolved (the runner resolves them); a secret in an approval is refused before it could be compiled in.
    expect((ok.Parameters as { Payload: { params: unknown } }).Payload.params).toMatchObject({ message: 'Deploy {{input.version}}?' });
    expect(() => ir({ tasks: [{ name: 'ok', type: 'approval', payload: { message: 'key {{secrets.DEPLOY_KEY}}' } }] })).toThrow(/secret_not_allowed/);
    expect(validateAsl(definition).errors ?? []).toEqual([]);
  });

  it('approvals: a choice right after the node that reads its output routes a rejection (on_reject defaults to continue), anything else fails it', () => {
    const paramsOf = (definition: { States: Record<string, unknown> }, id: string) => ((definition.States[id] as AslTaskState).Parameters as { Payload: { params: Record<string, unknown> } }).Payload.params;
    const routed = (when: string, payload: Record<string, unknown> = {}) =>
      compile({
        tasks: [
          { name: 'gate', type: 'approval', payload: { message: 'Ship?', ...payload } },
          { name: 'route', type: 'choice', dependencies: ['gate'], payload: { choices: [{ when, next: 'ship' }], default: 'undo' } },
          { name: 'ship', type: 'transform', dependencies: ['route'], payload: { expression: '1' } },
          { name: 'undo', type: 'transform', dependencies: ['route'], payload: { expression: '2' } },
        ],
      }).definition;
    expect(paramsOf(routed("steps.gate.output.decision = 'approve'"), 'gate')).toMatchObject({ on_reject: 'continue' });
    expect(paramsOf(routed('steps["gate"].output.decision = "approve"'), 'gate')).toMatchObject({ on_reject: 'continue' });
    // What the node says wins; a choice that does not read the approval (or reads another node) leaves the default.
    expect(paramsOf(routed("steps.gate.output.decision = 'approve'", { on_reject: 'fail' }), 'gate')).toMatchObject({ on_reject: 'fail' });
    expect(paramsOf(routed('input.amount > 10'), 'gate')).not.toHaveProperty('on_reject');
    expect(paramsOf(routed('steps.gate_two.output = 1'), 'gate')).not.toHaveProperty('on_reject');
  });

  it('reads map items straight from the input when it can', () => {
    const { definition } = compile({ steps: [{ type: 'map', id: 'each', items: '{{input.orders}}', max_concurrency: 3, iterator: [{ type: 'generic', id: 'one', command: 'x' }] }] });
    const map = definition.States.each as AslMapState;
    expect(map).toMatchObject({ Type: 'Map', ItemsPath: '$.orders', MaxConcurrency: 3, ResultPath: null, ItemSelector: { 'input.$': '$', 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' } });
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
  });

  it('keeps terminal outputs empty so Parallel and Map results stay small', () => {
    const { definition } = compile(ORDER_FLOW);
    const states = allStates(definition);
    const terminal = states.filter(([, state]) => 'End' in state && state.End);
    expect(terminal.length).toBeGreaterThan(3);
    expect(terminal.filter(([, state]) => state.Type !== 'Fail' && state.OutputPath !== null)).toEqual([]);
    const parallels = states.filter(([, state]) => state.Type === 'Parallel').map(([, state]) => (state as AslParallelState).ResultPath);
    expect(parallels).toEqual([null]);
  });

  it('reports its size, state counts and run estimates (≤ 3 transitions per node)', () => {
    const result = compile(ORDER_FLOW);
    expect(result.stats.bytes).toBe(result.json.length);
    expect(result.stats.nodes).toBe(9);
    expect(result.stats.transitions.per_map_item).toEqual({ ship: 1 });
    expect(result.stats.history_events.per_map_item).toEqual({ ship: 7 });
    const { n, edges } = randomDag(120, 5);
    const big = compile(flowctl(Array.from({ length: n }, (_, i) => `t${i}`), edges.map(([a, b]) => [`t${a}`, `t${b}`]), { max_concurrency: 1000 }));
    expect(big.stats.transitions.fixed / n).toBeLessThanOrEqual(3);
  });

  it('refuses machines over the 1 MB definition limit', () => {
    const workflow = ir({ tasks: Array.from({ length: 500 }, (_, i) => task(`t${i}`)) });
    // Only reachable past the 256 KB definition limit, so inflate the IR directly.
    for (const node of workflow.nodes) node.params = { command: 'x'.repeat(2_000) };
    const result = compileWorkflow(workflow, OPTIONS);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]?.code).toBe('compiled_too_large');
  });

  it('produces valid ASL for random DAGs with both compilers', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const { n, edges } = randomDag(10 + seed * 13, seed);
      const workflow = ir(flowctl(Array.from({ length: n }, (_, i) => `t${i}`), edges.map(([a, b]) => [`t${a}`, `t${b}`]), { max_concurrency: 1 + (seed % 6) }));
      for (const result of [compileWorkflow(workflow, OPTIONS), compileNaive(workflow, OPTIONS)]) {
        expect(result.ok && validateAsl(result.definition).errors).toEqual([]);
      }
    }
  });
});

describe('compileWorkflow: partition', () => {
  it('names the lambda service integration in the machine’s partition, and the ASL still validates', () => {
    const workflow = ir(flowctl(['a', 'b'], [['a', 'b']]));
    const china = compileWorkflow(workflow, { ...OPTIONS, taskRunnerArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:stepwise-cn-task-runner', partition: 'aws-cn' });
    expect(china.ok).toBe(true);
    if (!china.ok) return;
    const resources = allStates(china.definition).flatMap(([, s]) => (s.Type === 'Task' ? [s.Resource] : []));
    expect(resources.length).toBeGreaterThan(0);
    expect(new Set(resources)).toEqual(new Set(['arn:aws-cn:states:::lambda:invoke']));
    expect(validateAsl(china.definition).valid).toBe(true);
    // The manifest still recognises the runner Task states in another partition.
    expect(buildManifest(workflow, china.json).filter((n) => n.runnerTask).map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('defaults to the aws partition', () => {
    const result = compileWorkflow(ir(flowctl(['a'], [])), OPTIONS);
    expect(result.ok && JSON.stringify(result.definition)).toContain('"arn:aws:states:::lambda:invoke"');
  });
});
