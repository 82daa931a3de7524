/**
 * The workflow compiler: definition (FlowRunner / FlowCtl / CloudFlow) → IR → ASL. Pure: no I/O, no AWS SDK.
 *
 *   const parsed = parseWorkflow(body);              // detect, normalise, validate (never throws)
 *   if (!parsed.ok) → parsed.issues
 *   const compiled = compileWorkflow(parsed.ir, { taskRunnerArn, workflowId, accountId });
 *   if (compiled.ok) → compiled.json (CreateStateMachine definition), compiled.task_states (local bindings)
 *
 * `asl/validate-asl.ts` (asl-validator, a dev dependency) is deliberately not re-exported: tests and tools
 * import it directly so Lambda bundles stay small.
 */
export { parseWorkflow, detectDialect, MAX_NODES, MAX_DEFINITION_BYTES, type ParseResult, type Detection } from './parse.ts';
export { compileWorkflow, compileNaive, type CompileOptions, type CompileResult, type CompiledStateMachine, type CompileStats, type RunEstimate } from './compile/compile.ts';
export type { TaskStateInfo } from './compile/emit.ts';
export { validateGraph } from './validate.ts';
export * from './ir.ts';
export * from './issues.ts';
export { NODE_TYPES, NODE_TYPE_NAMES, NODE_ID_PATTERN, isNodeType, jsonataSyntaxError, type NodeType, type NodeParams, type NodeKind, type NodeTypeSpec } from './node-types.ts';
export { configSchema, retryPolicySchema } from './dialects/config.ts';
export { triggerSchema } from './dialects/cloudflow.ts';
export { findTemplates, parseTemplate, wholeTemplate, type TemplateRef, type TemplateOccurrence } from './templates.ts';
export { parseDuration, toWholeSeconds } from './durations.ts';
export * from './task-runner-contract.ts';
export type * from './asl/types.ts';
export { MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES, MAX_STATE_NAME } from './asl/types.ts';
export { decompose, treeMakespan, type SpTree, type Strategy, type Decomposition } from './structure/series-parallel.ts';
export { dagFromEdges, topoOrder, longestPath, type Dag } from './structure/dag.ts';
