/**
 * The runner's side of the gated layout (statemachines/README.md, "Gated layout"): a unit of a
 * non-series-parallel block waits behind a `gate` callback Task until every dependency on another chain
 * has ended; each such dependency is followed by a `release` Task. Both calls update the gate's one record
 * atomically, so exactly one of them sees the token together with the last dependency and sends task success.
 * Kept apart from the task runner: gates are no node's work, so nothing here is journaled as an attempt.
 */
import { parseExecutionName } from '../executions/execution.ts';
import type { GateRequest, GateResponse, ReleaseRequest } from '../../../statemachines/task-runner-contract.ts';
import { nonRetryable } from './errors.ts';

export interface GateKey {
  accountId: string;
  executionId: string;
  /** The gated unit's node id. */
  nodeId: string;
  /** Inside a map iteration, its key: each iteration has its own gates. */
  mapKey?: string;
}

export interface GateState {
  /** The waiting gate's task token, once the gate Task has run. */
  token?: string;
  /** Dependencies recorded as ended. */
  ended: string[];
}

/** One record per gate; each method is a single atomic read-modify-write that answers the state after it. */
export interface GateStore {
  setToken(key: GateKey, token: string): Promise<GateState>;
  addEnded(key: GateKey, nodeId: string): Promise<GateState>;
}

/**
 * Step Functions' SendTaskSuccess and SendTaskFailure (or the local engine's). A token that is already
 * closed is not an error. Gates only ever succeed; approvals (core/approvals) also fail theirs.
 */
export interface TaskTokens {
  succeed(token: string, output?: string): Promise<void>;
  fail(token: string, error: string, cause: string): Promise<void>;
}

const ID = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

function ids(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length > 500 || !value.every((v) => typeof v === 'string' && ID.test(v))) throw nonRetryable(`gate call: ${field} must be a list of node ids`);
  return value as string[];
}

const complete = (state: GateState, after: string[]) => after.every((id) => state.ended.includes(id));

export class DependencyGates {
  constructor(
    private readonly store: GateStore,
    private readonly tokens: TaskTokens,
  ) {}

  async handle(request: GateRequest | ReleaseRequest): Promise<GateResponse> {
    const base = this.keyBase(request);
    if (request.action === 'gate') {
      const after = ids(request.after, 'after');
      if (typeof request.task_token !== 'string' || request.task_token.length === 0) throw nonRetryable('gate call: task_token is missing');
      const state = await this.store.setToken({ ...base, nodeId: request.node_id }, request.task_token);
      if (!complete(state, after)) return { node_id: request.node_id, opened: 0 };
      await this.tokens.succeed(request.task_token);
      return { node_id: request.node_id, opened: 1 };
    }
    if (!Array.isArray(request.gates)) throw nonRetryable('release call: gates must be a list');
    let opened = 0;
    for (const gate of request.gates) {
      const [nodeId] = ids([gate?.node_id], 'gates[].node_id');
      const after = ids(gate.after, 'gates[].after');
      const state = await this.store.addEnded({ ...base, nodeId: nodeId as string }, request.node_id);
      if (state.token === undefined || !complete(state, after)) continue;
      await this.tokens.succeed(state.token);
      opened++;
    }
    return { node_id: request.node_id, opened };
  }

  /** The execution named by `$$.Execution.Id` must belong to the account the machine was compiled for. */
  private keyBase(request: GateRequest | ReleaseRequest): Omit<GateKey, 'nodeId'> {
    if (typeof request.node_id !== 'string' || !ID.test(request.node_id)) throw nonRetryable('gate call: node_id is not a node id');
    const execution = parseExecutionName(String(request.execution_id ?? ''));
    if (!execution || execution.accountId !== request.account_id) throw nonRetryable('gate call: the execution does not belong to this account');
    if (request.map_key !== undefined && (typeof request.map_key !== 'string' || !/^\d+(\.\d+)*$/.test(request.map_key))) throw nonRetryable('gate call: map_key is not an iteration key');
    return { accountId: execution.accountId, executionId: execution.executionId, ...(request.map_key !== undefined ? { mapKey: request.map_key } : {}) };
  }
}

/** Gates in this process's memory: the benchmark's and the interpreter tests' store (one process, no restart). */
export class MemoryGateStore implements GateStore {
  private readonly gates = new Map<string, GateState>();

  setToken(key: GateKey, token: string): Promise<GateState> {
    const state = this.get(key);
    state.token = token;
    return Promise.resolve({ ...state, ended: [...state.ended] });
  }

  addEnded(key: GateKey, nodeId: string): Promise<GateState> {
    const state = this.get(key);
    if (!state.ended.includes(nodeId)) state.ended.push(nodeId);
    return Promise.resolve({ ...state, ended: [...state.ended] });
  }

  private get(key: GateKey): GateState {
    const id = JSON.stringify([key.accountId, key.executionId, key.nodeId, key.mapKey ?? null]);
    let state = this.gates.get(id);
    if (!state) {
      state = { ended: [] };
      this.gates.set(id, state);
    }
    return state;
  }
}
