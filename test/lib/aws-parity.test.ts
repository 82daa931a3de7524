/**
 * What a real deploy would break that synth and cdk-nag cannot see (issue 12): stack order and
 * first-request windows, resource counts with the routes later issues add, CORS on API Gateway's
 * own answers, platform admins, and run-time names that keep stages apart. The IAM simulation and
 * template validation live in test/deploy/.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gatewayCorsHeaders } from '../../lib/api-stack.ts';
import { stageNames, WORKFLOW_ID_PREFIX } from '../../lib/definitions/names.ts';
import { RESOURCES, ROUTES, type RouteDefinition } from '../../lib/definitions/routes.ts';
import { StepwiseFunction } from '../../lib/constructs/stepwise-function.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { createStepwiseStacks, type StepwiseStacks } from '../../lib/stepwise.ts';
import { ID_PREFIXES } from '../../functions/core/ids.ts';
import { logicalId, resources, skipBuiltinValidation } from './helpers.ts';

/** Templates and policies only: the functions' code is not bundled. */
const app = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });

/** CloudFormation allows 500 resources a stack; Stepwise keeps every stack at or under this. */
const RESOURCE_BOUND = 350;

/**
 * Routes that later issues add, on the functions that will most likely serve them: none now (approvals,
 * email templates, the outbox, data sources and models are routes of the table). A later issue's routes
 * go here, so this file shows the stacks have room for them before they are built.
 */
const PLANNED_ROUTES: readonly RouteDefinition[] = [
  // The root docs (/docs, /redoc, /openapi.json and their assets) are routes of the table now.
];

/** Functions later issues may add (approvals, data, a CodeBuild-backed job runner), each costing what one API function costs today. */
const PLANNED_FUNCTIONS = 3;
/** A CodeBuild project with its role, policy and log group. */
const PLANNED_CODEBUILD = 5;

const config = stageConfig('dev', { platformAdmins: 'Ops@Example.com,root' });
let stacks: StepwiseStacks;
let planned: StepwiseStacks;

beforeAll(() => {
  skipBuiltinValidation();
  stacks = createStepwiseStacks(app(), config);
  planned = createStepwiseStacks(app(), config, { routes: [...ROUTES, ...PLANNED_ROUTES] });
}, 180_000);
afterAll(() => vi.unstubAllEnvs());

/** Every stack of a stage, nested ones included, with its resource count. */
function resourceCounts(s: StepwiseStacks): Map<string, number> {
  const all = [s.data, s.workflow, s.events, s.api, s.api.pathsStack, ...Object.values(s.api.routeStacks)];
  return new Map(all.map((stack) => [stack.node.path, Object.keys(Template.fromStack(stack).toJSON().Resources as object).length]));
}

describe('resource counts (CloudFormation: 500 a stack)', () => {
  it(`keeps every stack, nested ones included, at or under ${RESOURCE_BOUND} with the routes later issues plan`, () => {
    const counts = resourceCounts(planned);
    const over = [...counts].filter(([, n]) => n > RESOURCE_BOUND);
    expect(over).toEqual([]);
    // The routes really are in: every planned path became a resource, every planned route a method.
    const now = resourceCounts(stacks);
    // The routes really are in: every planned path became a resource (and its CORS preflight), every planned route a method.
    const plannedPaths = new Set(PLANNED_ROUTES.map((r) => r.path));
    expect(counts.get(planned.api.pathsStack.node.path)! - now.get(stacks.api.pathsStack.node.path)!).toBeGreaterThanOrEqual(plannedPaths.size);
  });

  it('does not grow the API stack per route: routes only add to the nested stacks', () => {
    const now = resourceCounts(stacks).get(stacks.api.node.path);
    expect(resourceCounts(planned).get(planned.api.node.path)).toBe(now);
  });

  it('leaves the API stack room for the functions and the CodeBuild project later issues add', () => {
    const api = Template.fromStack(stacks.api).toJSON().Resources as Record<string, { Type: string }>;
    // What one route function costs the API stack today: the largest footprint of any of them.
    const perFunction = Math.max(...RESOURCES.map((r) => stacks.api.functions[r].node.findAll().filter((c) => Stack.of(c) === stacks.api && c.node.defaultChild === undefined && 'cfnResourceType' in c).length + 1));
    const headroom = RESOURCE_BOUND - Object.keys(api).length;
    expect(headroom).toBeGreaterThanOrEqual(PLANNED_FUNCTIONS * perFunction + PLANNED_CODEBUILD);
  });
});

describe('deploy order and first requests', () => {
  it('deploys data → workflow → events → API, so the API is live only once what it calls exists', () => {
    expect(stacks.workflow.dependencies).toContain(stacks.data);
    expect(stacks.events.dependencies).toEqual(expect.arrayContaining([stacks.data, stacks.workflow]));
    expect(stacks.api.dependencies).toEqual(expect.arrayContaining([stacks.data, stacks.workflow, stacks.events]));
    expect(stacks.events.dependencies).not.toContain(stacks.api);
  });

  it('keeps API Gateway’s account role in the workflow stack, before both API stages that log through it', () => {
    expect(Object.keys(resources(Template.fromStack(stacks.workflow), 'AWS::ApiGateway::Account'))).toHaveLength(1);
    expect(Object.keys(resources(Template.fromStack(stacks.api), 'AWS::ApiGateway::Account'))).toHaveLength(0);
  });

  it('creates every function only after each policy attached to its role on its own (except the one that would close a cycle)', () => {
    const missing: string[] = [];
    for (const fn of allFunctions(stacks)) {
      const template = Template.fromStack(Stack.of(fn)).toJSON().Resources as Record<string, { Type: string; DependsOn?: string[]; Properties: { Roles?: unknown } }>;
      const dependsOn = new Set(template[logicalId(fn.function)]!.DependsOn ?? []);
      const roleId = logicalId(fn.role);
      for (const [id, r] of Object.entries(template)) {
        if (r.Type !== 'AWS::IAM::Policy' || !JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`)) continue;
        // GatewayKeys names the usage plans, which depend on the stage → methods → functions (docs/deploy.md#first-deploy).
        if (/GatewayKeys[0-9A-F]{8}$/.test(id)) continue;
        if (!dependsOn.has(id)) missing.push(`${fn.node.path} does not wait for ${id}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

function allFunctions(s: StepwiseStacks): StepwiseFunction[] {
  return [s.data, s.workflow, s.events, s.api].flatMap((stack) => stack.node.findAll().filter((c: IConstruct): c is StepwiseFunction => c instanceof StepwiseFunction));
}

describe('gateway errors carry CORS headers', () => {
  const headersOf = (s: StepwiseStacks) =>
    Object.values(resources(Template.fromStack(s.api), 'AWS::ApiGateway::GatewayResponse')).map((r) => ({ type: String(r.Properties.ResponseType), headers: r.Properties.ResponseParameters as Record<string, string> }));

  it('adds the allowed origin to every answer API Gateway gives itself (401, 403, 413, 429, 4xx, 5xx), exposing Retry-After', () => {
    const responses = headersOf(stacks);
    expect(responses.map((r) => r.type)).toEqual(expect.arrayContaining(['UNAUTHORIZED', 'ACCESS_DENIED', 'REQUEST_TOO_LARGE', 'THROTTLED', 'DEFAULT_4XX', 'DEFAULT_5XX']));
    for (const { type, headers } of responses) {
      // Several dev origins: the gateway echoes the request's Origin (the preflight admits only the configured ones).
      expect(headers['gatewayresponse.header.Access-Control-Allow-Origin'], type).toBe('method.request.header.Origin');
      expect(headers['gatewayresponse.header.Vary'], type).toBe("'Origin'");
      expect(headers['gatewayresponse.header.Access-Control-Expose-Headers'], type).toBe("'Retry-After'");
    }
    expect(responses.find((r) => r.type === 'THROTTLED')!.headers['gatewayresponse.header.Retry-After']).toBe("'1'");
  });

  it('sends a single configured origin as is, and nothing when the stage allows no browser origin', () => {
    expect(gatewayCorsHeaders(['https://app.example.com'])).toEqual({ 'Access-Control-Allow-Origin': "'https://app.example.com'", Vary: "'Origin'", 'Access-Control-Expose-Headers': "'Retry-After'" });
    expect(gatewayCorsHeaders(['*'])).toEqual({ 'Access-Control-Allow-Origin': "'*'", 'Access-Control-Expose-Headers': "'Retry-After'" });
    expect(gatewayCorsHeaders([])).toEqual({});
    const prod = createStepwiseStacks(app(), stageConfig('prod'));
    for (const { headers } of headersOf(prod)) expect(Object.keys(headers).filter((h) => h.includes('Access-Control'))).toEqual([]);
  });
});

describe('platform admins', () => {
  const envOf = (fn: StepwiseFunction) => Stack.of(fn).resolve((fn.function.node.defaultChild as CfnFunction).environment) as { variables?: Record<string, string> };

  it('parses -c platformAdmins into lower-cased, de-duplicated usernames and refuses malformed ones', () => {
    expect(stageConfig('dev', { platformAdmins: ' Ops@Example.com, root ,ROOT' }).platformAdmins).toEqual(['ops@example.com', 'root']);
    expect(stageConfig('dev').platformAdmins).toEqual([]);
    expect(() => stageConfig('dev', { platformAdmins: 'good,bad name' })).toThrow(/platformAdmins/);
  });

  it('sets PLATFORM_ADMINS on exactly the functions that issue tokens', () => {
    const withAdmins = allFunctions(stacks).filter((fn) => envOf(fn).variables?.PLATFORM_ADMINS !== undefined);
    expect(withAdmins.map((fn) => fn.node.id).toSorted()).toEqual(['AuthFunction', 'OauthFunction']);
    for (const fn of withAdmins) expect(envOf(fn).variables?.PLATFORM_ADMINS).toBe('ops@example.com,root');
    // No admins configured: no variable at all.
    const none = createStepwiseStacks(app(), stageConfig('dev'));
    expect(allFunctions(none).filter((fn) => envOf(fn).variables?.PLATFORM_ADMINS !== undefined)).toEqual([]);
  });
});

describe('names keep stages apart', () => {
  it('derives machine names from the workflow id prefix the domain uses', () => {
    expect(WORKFLOW_ID_PREFIX).toBe(`${ID_PREFIXES.workflow}_`);
  });

  it('ends every run-time name pattern where no other stage’s name can continue it', () => {
    const pr = stageNames('pr');
    const pr42 = stageNames('pr-42');
    // A stage's pattern is `<prefix>*`; `_` or `/` closes the stage part, since stage names have neither.
    for (const key of ['machineNamePrefix', 'secretNamePrefix', 'apiKeyNamePrefix'] as const) {
      expect(`${pr42[key]}x`.startsWith(pr[key]), key).toBe(false);
    }
    expect(`${stageConfig('pr-fn').lambdaNodeFunctionPrefix}x`.startsWith(stageConfig('pr').lambdaNodeFunctionPrefix)).toBe(false);
  });

  it('matches only this stage’s machines in the execution-status rule', () => {
    const rules = Object.values(resources(Template.fromStack(stacks.workflow), 'AWS::Events::Rule'));
    const pattern = JSON.stringify(rules.map((r) => r.Properties.EventPattern));
    expect(pattern).toContain(':stateMachine:stepwise-dev-wf_"');
    expect(pattern).not.toMatch(/stateMachine:stepwise-dev-"/);
  });

  it('uses no wildcard that ends inside a stage name in any policy of any stack', () => {
    const loose: string[] = [];
    const s = createStepwiseStacks(app(), stageConfig('pr'));
    for (const stack of [s.data, s.workflow, s.events, s.api]) {
      for (const policy of stack.node.findAll().filter((c) => c instanceof iam.Policy || c instanceof iam.Role)) {
        const json = JSON.stringify(Stack.of(policy).resolve((policy as iam.Policy).document ?? {}));
        for (const m of json.matchAll(/stepwise-pr-\*|stepwise-pr\*|stepwise\/pr\*/g)) loose.push(`${policy.node.path}: ${m[0]}`);
      }
    }
    expect(loose).toEqual([]);
  });
});
