/**
 * The gated layout's gates (functions/core/runner/dependency-gates.ts): a gate opens exactly once, when its
 * token and its last dependency are both recorded, whichever comes first; bad calls are non-retryable.
 */
import { describe, expect, it } from 'vitest';
import { DependencyGates, MemoryGateStore, type GateKey, type GateState, type GateStore } from '../../../../functions/core/runner/dependency-gates.ts';
import { RUNNER_ERRORS, type GateRequest, type ReleaseRequest } from '../../../../statemachines/task-runner-contract.ts';
import { prng } from '../../../../statemachines/structure/prng.ts';

const ACCOUNT = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const EXECUTION = `arn:aws:states:us-east-1:123456789012:execution:stepwise-wf_01ARZ3NDEKTSV4RRFFQ69G5FAV:exec_01ARZ3NDEKTSV4RRFFQ69G5FAV-${ACCOUNT}`;
const base = { account_id: ACCOUNT, workflow_id: 'wf_01ARZ3NDEKTSV4RRFFQ69G5FAV', execution_id: EXECUTION };

const gate = (node_id: string, after: string[], task_token: string, extra: Partial<GateRequest> = {}): GateRequest => ({ ...base, action: 'gate', node_id, after, task_token, ...extra });
const release = (node_id: string, gates: Array<{ node_id: string; after: string[] }>, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({ ...base, action: 'release', node_id, gates, ...extra });

function subject(store: GateStore = new MemoryGateStore()) {
  const sent: string[] = [];
  return { gates: new DependencyGates(store, { succeed: async (token) => void sent.push(token), fail: async () => undefined }), sent };
}

describe('DependencyGates', () => {
  it('opens a gate whose dependencies ended before it ran at once', async () => {
    const { gates, sent } = subject();
    expect(await gates.handle(release('a', [{ node_id: 'c', after: ['a', 'b'] }]))).toEqual({ node_id: 'a', opened: 0 });
    expect(await gates.handle(release('b', [{ node_id: 'c', after: ['a', 'b'] }]))).toEqual({ node_id: 'b', opened: 0 });
    expect(await gates.handle(gate('c', ['a', 'b'], 'T1'))).toEqual({ node_id: 'c', opened: 1 });
    expect(sent).toEqual(['T1']);
  });

  it('opens a waiting gate with the release of its last dependency, and only then', async () => {
    const { gates, sent } = subject();
    expect((await gates.handle(gate('c', ['a', 'b'], 'T1'))).opened).toBe(0);
    expect((await gates.handle(release('a', [{ node_id: 'c', after: ['a', 'b'] }]))).opened).toBe(0);
    expect(sent).toEqual([]);
    expect((await gates.handle(release('b', [{ node_id: 'c', after: ['a', 'b'] }, { node_id: 'd', after: ['b'] }]))).opened).toBe(1);
    expect(sent).toEqual(['T1']);
    // d's gate had not run yet: its own call opens it.
    expect((await gates.handle(gate('d', ['b'], 'T2'))).opened).toBe(1);
    expect(sent).toEqual(['T1', 'T2']);
  });

  it('sends exactly one success per gate for every interleaving of its token and its releases (seeded orders)', async () => {
    const random = prng(42);
    for (let trial = 0; trial < 200; trial++) {
      const after = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) => `p${i}`);
      const calls = [() => gate('v', after, `T${trial}`), ...after.map((p) => () => release(p, [{ node_id: 'v', after }]))];
      for (let i = calls.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [calls[i], calls[j]] = [calls[j]!, calls[i]!];
      }
      const { gates, sent } = subject();
      // Concurrently, as separate Lambda invocations would.
      await Promise.all(calls.map((c) => gates.handle(c())));
      expect(sent, `trial ${trial}`).toEqual([`T${trial}`]);
    }
  });

  it('keeps each map iteration’s gates apart', async () => {
    const { gates, sent } = subject();
    await gates.handle(gate('c', ['a'], 'T0', { map_key: '0' }));
    await gates.handle(gate('c', ['a'], 'T1', { map_key: '1' }));
    await gates.handle(release('a', [{ node_id: 'c', after: ['a'] }], { map_key: '1' }));
    expect(sent).toEqual(['T1']);
  });

  it('re-sends to the token of a retried gate attempt and tolerates a retried release', async () => {
    const { gates, sent } = subject();
    await gates.handle(gate('c', ['a'], 'old'));
    await gates.handle(gate('c', ['a'], 'new'));
    await gates.handle(release('a', [{ node_id: 'c', after: ['a'] }]));
    await gates.handle(release('a', [{ node_id: 'c', after: ['a'] }]));
    // The second success goes to a closed token; the token adapters ignore that (Step Functions: TaskTimedOut).
    expect(sent).toEqual(['new', 'new']);
  });

  it('refuses calls for an execution of another account, and malformed calls, as non-retryable', async () => {
    const writes: GateKey[] = [];
    const store: GateStore = {
      setToken: async (key): Promise<GateState> => (writes.push(key), { ended: [] }),
      addEnded: async (key): Promise<GateState> => (writes.push(key), { ended: [] }),
    };
    const { gates } = subject(store);
    const bad: Array<GateRequest | ReleaseRequest> = [
      gate('c', ['a'], 'T', { account_id: 'acct_01BX5ZZKBKACTAV9WEVGEMMVRZ' }),
      gate('c', ['a'], 'T', { execution_id: 'arn:aws:states:us-east-1:1:execution:x:not-ours' }),
      gate('c', ['a'], ''),
      gate('c', ['a b'], 'T'),
      gate('../c', ['a'], 'T'),
      gate('c', ['a'], 'T', { map_key: '0#x' }),
      release('a', 'c' as never),
      release('a', [{ node_id: 'c', after: 'a' as never }]),
      release('a', [null as never]),
    ];
    for (const request of bad) await expect(gates.handle(request), JSON.stringify(request)).rejects.toMatchObject({ name: RUNNER_ERRORS.nonRetryable });
    expect(writes).toEqual([]);
  });
});
