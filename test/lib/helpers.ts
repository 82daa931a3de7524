import { type CfnElement, type NestedStack, Stack } from 'aws-cdk-lib';
import { Method } from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { vi } from 'vitest';

/** CloudFormation JSON as the assertions library returns it. */
export type Json = Record<string, unknown>;
export interface Resource {
  Type: string;
  Properties: Json;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, string>;
}
export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}

/**
 * CDK's built-in CloudFormation validation costs ~4 s per synth. These tests assert intent, not
 * template validity; the nag test and `cdk synth` still run it. Undo with vi.unstubAllEnvs().
 */
export function skipBuiltinValidation(): void {
  vi.stubEnv('CDK_VALIDATION', 'false');
}

/** Logical id of an L2's CloudFormation resource (or of a CfnElement itself). */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

export function resources(template: Template, type: string): Record<string, Resource> {
  const found = template.findResources(type) as Record<string, Omit<Resource, 'Properties'> & { Properties?: Json }>;
  return Object.fromEntries(Object.entries(found).map(([id, r]) => [id, { ...r, Properties: r.Properties ?? {} }]));
}

/** One resource by logical id; fails the test (rather than returning undefined) when absent. */
export function resource(template: Template, type: string, id: string): Resource {
  const found = resources(template, type)[id];
  if (!found) throw new Error(`${type} ${id} not found`);
  return found;
}

/** The only resource of a type in the template. */
export function only(template: Template, type: string): Resource {
  const all = Object.values(resources(template, type));
  if (all.length !== 1 || !all[0]) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Every statement of every inline policy (AWS::IAM::Policy) attached to the role. */
export function statementsForRole(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(resources(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

export function allActions(statements: Statement[]): string[] {
  return [...new Set(statements.flatMap(actionsOf))].toSorted();
}

/** Statements whose Resource mentions `needle` (a logical id, export name, ...). */
export function statementsOn(statements: Statement[], needle: string): Statement[] {
  return statements.filter((s) => JSON.stringify(s.Resource).includes(needle));
}

/**
 * `${METHOD} ${path}` → the method's CloudFormation properties, wherever the method lives (the API
 * stack's methods sit in nested stacks, lib/api-stack.ts addRoutes): read from the construct tree,
 * each method's properties from its own stack's template.
 */
export function apiMethods(root: IConstruct): Map<string, Json> {
  const templates = new Map<Stack, Record<string, Resource>>();
  const out = new Map<string, Json>();
  for (const construct of root.node.findAll()) {
    if (!(construct instanceof Method)) continue;
    const stack = Stack.of(construct);
    let all = templates.get(stack);
    if (!all) {
      all = resources(Template.fromStack(stack), 'AWS::ApiGateway::Method');
      templates.set(stack, all);
    }
    const cfn = construct.node.defaultChild as CfnElement;
    const found = all[stack.getLogicalId(cfn)];
    if (!found) throw new Error(`method ${construct.node.path} not in its template`);
    out.set(`${construct.httpMethod} ${construct.resource.path}`, found.Properties);
  }
  return out;
}

/**
 * A nested stack's properties with each `{ Ref: <parameter> }` replaced by what the parent passes
 * for it, so a test can see that a method's integration names the parent's function or authorizer.
 */
export function throughParameters(value: unknown, parent: Stack, nested: NestedStack): unknown {
  const stackResource = nested.nestedStackResource;
  if (!stackResource) throw new Error(`${nested.node.path} has no stack resource`);
  const passed = ((Template.fromStack(parent).toJSON().Resources as Record<string, Resource>)[parent.getLogicalId(stackResource)]?.Properties.Parameters ?? {}) as Json;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const ref = (v as { Ref?: unknown }).Ref;
      if (typeof ref === 'string' && Object.keys(v).length === 1 && ref in passed) return passed[ref];
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value);
}
