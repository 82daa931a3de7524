import { childGraphs, ownParams, type IrGraph, type WorkflowIr } from '../../../statemachines/ir.ts';
import type { NodeManifest } from '../executions/execution.ts';

/**
 * What runs need to know about each node, taken from the IR and the compiled machine once, at
 * publish time, so starting a run or settling one never parses or compiles a definition.
 */
export function buildManifest(ir: WorkflowIr, asl: string): NodeManifest[] {
  const runnerStates = runnerTaskStates(JSON.parse(asl) as AslMachine);
  const out: NodeManifest[] = [];
  const visit = (graph: IrGraph, parent: string | null) => {
    for (const node of graph.nodes) {
      out.push({
        id: node.id,
        type: node.type,
        name: node.name ?? node.id,
        dependencies: [...node.dependencies],
        parent,
        maxRetries: node.retry.max_attempts - 1,
        priority: node.priority ?? null,
        timeoutSeconds: node.timeout_seconds ?? null,
        payload: ownParams(node),
        runnerTask: runnerStates.has(node.id),
      });
      for (const child of childGraphs(node)) visit(child, node.id);
    }
  };
  visit(ir, null);
  return out;
}

/** Top-level nodes that nothing depends on: the ends of the workflow. */
export function sinksOf(nodes: readonly NodeManifest[]): string[] {
  const top = nodes.filter((n) => n.parent === null);
  const used = new Set(top.flatMap((n) => n.dependencies));
  return top.filter((n) => !used.has(n.id)).map((n) => n.id);
}

interface AslMachine {
  States: Record<string, { Type: string; Resource?: string; Branches?: AslMachine[]; ItemProcessor?: AslMachine; Iterator?: AslMachine }>;
}

/** `arn:<partition>:states:::lambda:invoke` (and `.waitForTaskToken`), in any partition. */
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke/;

/** Task states that call the task runner are named after their node (synthetic states contain a space). */
function runnerTaskStates(machine: AslMachine, into = new Set<string>()): Set<string> {
  for (const [name, state] of Object.entries(machine.States)) {
    if (state.Type === 'Task' && LAMBDA_INVOKE.test(state.Resource ?? '') && !name.includes(' ')) into.add(name);
    for (const branch of state.Branches ?? []) runnerTaskStates(branch, into);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) runnerTaskStates(processor, into);
  }
  return into;
}
