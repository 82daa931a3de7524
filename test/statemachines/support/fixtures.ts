import { expect } from 'vitest';
import { compileWorkflow, type CompileOptions, type CompiledStateMachine } from '../../../statemachines/compile/compile.ts';
import { parseWorkflow } from '../../../statemachines/parse.ts';
import type { WorkflowIr } from '../../../statemachines/ir.ts';
import type { ValidationIssue } from '../../../statemachines/issues.ts';
import { validateAsl } from '../../../statemachines/asl/validate-asl.ts';

export const OPTIONS: CompileOptions = {
  taskRunnerArn: 'arn:aws:lambda:us-east-1:123456789012:function:stepwise-task-runner',
  workflowId: 'wf_01HZTEST',
  accountId: 'acct_01HZTEST',
};

/** Parses and asserts success. */
export function ir(body: unknown): WorkflowIr {
  const parsed = parseWorkflow(body);
  if (!parsed.ok || !parsed.ir) throw new Error(`expected a valid definition, got ${JSON.stringify(parsed.issues, null, 2)}`);
  return parsed.ir;
}

/** Parses and returns the error issues (asserting there are some). */
export function issues(body: unknown): ValidationIssue[] {
  const parsed = parseWorkflow(body);
  expect(parsed.ok, 'definition should be invalid').toBe(false);
  return parsed.issues.filter((i) => i.severity !== 'warning');
}

// asl-validator builds a fresh Ajv instance per call (~100 ms); each distinct machine is checked once.
const checked = new Map<string, string[]>();

/** Parses, compiles, and checks the ASL with asl-validator. */
export function compile(body: unknown, options: Partial<CompileOptions> = {}): CompiledStateMachine {
  const result = compileWorkflow(ir(body), { ...OPTIONS, ...options });
  if (!result.ok) throw new Error(`compile failed: ${JSON.stringify(result.issues)}`);
  let errors = checked.get(result.json);
  if (!errors) {
    errors = validateAsl(result.definition).errors;
    checked.set(result.json, errors);
  }
  expect(errors).toEqual([]);
  return result;
}

export const task = (name: string, dependencies: string[] = [], extra: Record<string, unknown> = {}) => ({
  name,
  type: 'generic',
  payload: { command: `run ${name}` },
  ...(dependencies.length ? { dependencies } : {}),
  ...extra,
});

/** A FlowCtl body from "a->b, a->c" style edge lists. */
export function flowctl(nodes: string[], edges: Array<[string, string]>, config?: Record<string, unknown>) {
  return {
    tasks: nodes.map((n) => task(n, edges.filter(([, to]) => to === n).map(([from]) => from))),
    ...(config ? { config } : {}),
  };
}
