import type { Dialect, WorkflowIr } from '../../../statemachines/ir.ts';
import type { ValidationIssue } from '../../../statemachines/issues.ts';
import type { NodeManifest } from '../executions/execution.ts';
import type { WorkflowTrigger } from '../triggers/trigger.ts';

export const WORKFLOW_STATUSES = ['active', 'paused', 'archived'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/** The definition exactly as the client sent it, in whichever dialect (statemachines/README.md#dialect-mapping). */
export interface DefinitionSource {
  /** FlowRunner: YAML text or an object with `metadata` and `nodes`. */
  definition?: unknown;
  /** FlowCtl: the task DAG and its config. */
  tasks?: unknown;
  config?: unknown;
  /** CloudFlow: trigger and ordered steps. */
  trigger?: unknown;
  steps?: unknown;
}

/** Where a workflow's state machine lives: on AWS real ARNs, locally `arn:aws:states:local:…`. */
export interface MachineRef {
  readonly stateMachineArn: string;
  readonly versionArn: string;
  readonly aliasArn: string;
}

export interface Workflow {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly description: string | null;
  readonly status: WorkflowStatus;
  readonly tags: readonly string[];
  readonly dialect: Dialect;
  readonly source: DefinitionSource;
  /** How runs start, checked and normalised from the definition (core/triggers/trigger.ts); absent means manual. */
  readonly trigger?: WorkflowTrigger;
  /** Published definition version: 1 on create, +1 per PUT. */
  readonly version: number;
  /** Optimistic-lock counter for any write (PATCH included). */
  readonly revision: number;
  readonly machine: MachineRef;
  /** The published version's nodes, as runs need them (see manifest.ts). */
  readonly nodes: readonly NodeManifest[];
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface WorkflowVersion {
  readonly workflowId: string;
  readonly accountId: string;
  readonly version: number;
  readonly source: DefinitionSource;
  readonly dialect: Dialect;
  /** The generated Amazon States Language document. */
  readonly asl: string;
  readonly versionArn: string;
  readonly createdBy: string | null;
  readonly createdAt: string;
}

export interface Analysis {
  readonly ir: WorkflowIr | undefined;
  readonly issues: readonly ValidationIssue[];
}
