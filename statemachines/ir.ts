/**
 * The intermediate representation every dialect is normalised into: a DAG of typed nodes.
 *
 * Semantics (what the compiler guarantees, see README.md):
 * - A node starts once every one of its `dependencies` has finished or been skipped, and at least one
 *   actually ran (or it is an entry node). Skips only arise below a `choice` node: the branches it did not
 *   take are skipped, and the branches rejoin at the choice's merge node.
 * - `parallel` and `map` nodes own nested graphs (`branches`, `iterator`). Node ids are unique across the
 *   whole workflow, nested graphs included, so `{{steps.<id>}}` and the runner's output store are unambiguous.
 */
import type { NodeType } from './node-types.ts';

export type Dialect = 'flowrunner' | 'flowctl' | 'cloudflow';

/** The request field each dialect's definition is sent in. */
export const DEFINITION_FIELDS: Record<Dialect, 'definition' | 'tasks' | 'steps'> = { flowrunner: 'definition', flowctl: 'tasks', cloudflow: 'steps' };
export const definitionFieldOf = (dialect: Dialect) => DEFINITION_FIELDS[dialect];

export interface RetryPolicy {
  /** Every attempt, the first included (FlowCtl `max_attempts`; a task's `max_retries` + 1). */
  max_attempts: number;
  /** Delay before the first retry (FlowCtl `initial_delay`), in seconds. */
  interval_seconds: number;
  /** Multiplier per retry (FlowCtl `backoff_factor`), >= 1. */
  backoff_rate: number;
  /** Ceiling for any single delay (FlowCtl `max_delay`), in seconds. */
  max_delay_seconds: number;
}

export interface WorkflowConfig {
  /** Upper bound on nodes running at once, DAG fan-out and map iterations together. */
  max_concurrency: number;
  /** Whole-execution timeout in seconds. */
  timeout_seconds: number;
  /** Default for every node without its own retry settings. */
  retry_policy: RetryPolicy;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  max_attempts: 3,
  interval_seconds: 1,
  backoff_rate: 2,
  max_delay_seconds: 300,
});

export const DEFAULT_CONFIG: WorkflowConfig = Object.freeze({
  max_concurrency: 10,
  timeout_seconds: 3600,
  retry_policy: DEFAULT_RETRY_POLICY,
});

/**
 * `next`: FlowRunner/CloudFlow sequencing; `dependency`: a FlowCtl `dependencies` entry;
 * `choice`: a conditional edge out of a choice node (`when` holds); `default`: the choice's fallback.
 */
export type EdgeKind = 'next' | 'dependency' | 'choice' | 'default';

export interface IrEdge {
  from: string;
  to: string;
  kind: EdgeKind;
}

export interface IrNode {
  id: string;
  type: NodeType;
  /** Validated params with defaults applied; templates are still literal text. */
  params: Record<string, unknown>;
  /** Direct predecessors within the node's own graph, in a stable order. */
  dependencies: string[];
  /** Effective retry policy (the node's own setting, else the workflow's). */
  retry: RetryPolicy;
  /** Per-attempt state timeout in seconds, when the node sets one. */
  timeout_seconds?: number;
  /** FlowCtl priority: higher runs first when max_concurrency forces an order. */
  priority?: number;
  /** Display name when it differs from the id (FlowCtl task names are ids; CloudFlow `name`). */
  name?: string;
  /** Where the node sits in the request body, for error messages (`definition.nodes.fetch`). */
  source: string;
  /** Where its params sit (`definition.nodes.fetch.params`, `tasks[0].payload`, `steps[2]`). */
  params_source: string;
  /** `parallel`: one nested graph per branch. */
  branches?: IrGraph[];
  /** `map`: the nested graph run per item. */
  iterator?: IrGraph;
}

export interface IrGraph {
  nodes: IrNode[];
  edges: IrEdge[];
  /** Nodes with no dependencies, in document order (FlowRunner: exactly the start node). */
  entry: string[];
  /** Where the graph sits in the request body. */
  source: string;
}

export type TriggerType = 'manual' | 'schedule' | 'webhook' | 'event';

export interface TriggerSpec {
  type: TriggerType;
  [key: string]: unknown;
}

export interface WorkflowMetadata {
  name?: string;
  description?: string;
  version?: string;
  [key: string]: unknown;
}

export interface WorkflowIr extends IrGraph {
  ir_version: 1;
  dialect: Dialect;
  metadata: WorkflowMetadata;
  trigger?: TriggerSpec;
  config: WorkflowConfig;
}

/** Every node, nested ones included, depth-first in document order. */
export function allNodes(graph: IrGraph): IrNode[] {
  const out: IrNode[] = [];
  const visit = (g: IrGraph) => {
    for (const node of g.nodes) {
      out.push(node);
      for (const branch of node.branches ?? []) visit(branch);
      if (node.iterator) visit(node.iterator);
    }
  };
  visit(graph);
  return out;
}

/** Nested graphs of a node (branches, then iterator). */
export const childGraphs = (node: IrNode): IrGraph[] => [...(node.branches ?? []), ...(node.iterator ? [node.iterator] : [])];

/** Params that hold nested graphs rather than values (already parsed into `branches` / `iterator`). */
export const STRUCTURAL_PARAMS: Readonly<Record<string, readonly string[]>> = Object.freeze({ parallel: ['branches'], map: ['iterator'] });

/** A node's params without the nested-graph fields: what the runner receives and what templates are read from. */
export function ownParams(node: IrNode): Record<string, unknown> {
  const drop = STRUCTURAL_PARAMS[node.type] ?? [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node.params)) if (!drop.includes(k) && v !== undefined) out[k] = v;
  return out;
}
