import type { ExecutionStatus } from '../executions/execution.ts';
import type { Page, PageRequest } from '../pagination.ts';
import type { Analysis, DefinitionSource, MachineRef, Workflow, WorkflowStatus, WorkflowVersion } from './workflow.ts';
import type { WorkflowIr } from '../../../statemachines/ir.ts';

export interface WorkflowFilter {
  status?: WorkflowStatus | undefined;
  tag?: string | undefined;
  createdAfter?: string | undefined;
  /** FlowCtl's run statuses: workflows whose latest run is in this status (never-run workflows match none). */
  lastRunStatus?: ExecutionStatus | undefined;
}

export interface WorkflowRepository {
  /** Writes the workflow and its first version atomically. */
  create(workflow: Workflow, version: WorkflowVersion): Promise<void>;
  get(accountId: string, workflowId: string): Promise<Workflow | undefined>;
  /** Conditional on `previous.revision`; writes `version` too when a new one was published. False on a lost race. */
  update(previous: Workflow, next: Workflow, version?: WorkflowVersion): Promise<boolean>;
  /** Removes the workflow and every version; false when it changed meanwhile. */
  delete(previous: Workflow): Promise<boolean>;
  list(accountId: string, filter: WorkflowFilter, page: PageRequest): Promise<Page<Workflow>>;
  versions(accountId: string, workflowId: string, page: PageRequest): Promise<Page<WorkflowVersion>>;
  version(accountId: string, workflowId: string, version: number): Promise<WorkflowVersion | undefined>;
}

/** Parses any dialect into the IR and compiles IR → ASL; pure, configured with the task-runner ARN. */
export interface DefinitionCompiler {
  analyse(source: DefinitionSource): Analysis;
  compile(ir: WorkflowIr, context: { accountId: string; workflowId: string }): string;
}

/** Creates, updates and removes the state machine behind a workflow (Step Functions, or the local store). */
export interface StateMachineProvisioner {
  /** Creates the machine (first version) or publishes a new version, and points the `live` alias at it. */
  publish(input: { accountId: string; workflowId: string; name: string; asl: string; description: string; existing?: MachineRef }): Promise<MachineRef>;
  remove(machine: MachineRef): Promise<void>;
}
