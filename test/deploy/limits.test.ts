/**
 * The offline deploy check, part 3 (docs/deploy.md#offline-deploy-check): AWS limits that synth
 * does not enforce, at the longest stage names (24 characters): name lengths of what CDK creates
 * and of what the functions create at run time, 4 KB function environments, IAM policy sizes,
 * Lambda resource-policy sizes and resources per stack.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { stageNames } from '../../lib/definitions/names.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { buildWorld, LONGEST_DEV_STAGE, LONGEST_PROD_STAGE, type World } from './support/world.ts';

/** Every stack, nested ones included (CloudFormation's limit is 500; lib/api-stack.ts keeps room). */
const RESOURCES_PER_STACK = 350;
/** Lambda: all environment variables of a function together. */
const ENVIRONMENT_BYTES = 4096;
/** IAM: inline policies of one role together, whitespace not counted. */
const ROLE_INLINE_POLICY_CHARS = 10_240;
/** IAM: a role's trust policy (the default quota). */
const TRUST_POLICY_CHARS = 2048;
/** Lambda: a function's resource-based policy. */
const FUNCTION_POLICY_BYTES = 20_480;

/** Name properties by resource type, with their service's limit. */
const NAME_LIMITS: readonly [type: string, property: string, max: number][] = [
  ['AWS::Lambda::Function', 'FunctionName', 64],
  ['AWS::IAM::Role', 'RoleName', 64],
  ['AWS::IAM::Policy', 'PolicyName', 128],
  ['AWS::SQS::Queue', 'QueueName', 80],
  ['AWS::Events::EventBus', 'Name', 256],
  ['AWS::Events::Rule', 'Name', 64],
  ['AWS::Logs::LogGroup', 'LogGroupName', 512],
  ['AWS::Scheduler::ScheduleGroup', 'Name', 64],
  ['AWS::ApiGateway::RestApi', 'Name', 1024],
  ['AWS::ApiGateway::Stage', 'StageName', 128],
  ['AWS::ApiGateway::UsagePlan', 'UsagePlanName', 1024],
  ['AWS::ApiGateway::Authorizer', 'Name', 1024],
  ['AWS::ApiGatewayV2::Api', 'Name', 128],
  ['AWS::ApiGatewayV2::Stage', 'StageName', 128],
  ['AWS::SecretsManager::Secret', 'Name', 512],
];

let worlds: World[];

beforeAll(() => {
  worlds = [buildWorld(LONGEST_DEV_STAGE), buildWorld(LONGEST_PROD_STAGE, { corsOrigins: 'https://app.example.com,https://admin.example.com', platformAdmins: 'ops@example.com' })];
});

const nonWhitespace = (json: unknown) => JSON.stringify(json).replace(/\s/g, '').length;

describe('AWS limits at the longest stage names', () => {
  it(`keeps every stack and nested stack at or under ${RESOURCES_PER_STACK} resources`, () => {
    for (const world of worlds) {
      const counts = world.templates.map(({ name, template }) => [name, Object.keys(template.Resources).length] as const);
      expect(counts.filter(([, n]) => n > RESOURCES_PER_STACK)).toEqual([]);
    }
  });

  it('keeps every name CDK sets within its service’s limit, and stack and export names within CloudFormation’s', () => {
    const over: string[] = [];
    for (const world of worlds) {
      for (const [type, property, max] of NAME_LIMITS) {
        for (const { logicalId, properties } of world.resourcesOf(type)) {
          const value = properties[property];
          if (typeof value === 'string' && value.length > max) over.push(`${type} ${logicalId}.${property} (${value.length} > ${max}): ${value}`);
        }
      }
      for (const { stack, template } of world.templates) {
        if (!stack.nested && stack.stackName.length > 128) over.push(`stack ${stack.stackName}`);
        for (const output of Object.values(template.Outputs ?? {})) {
          const name = output.Export ? String(world.evaluate(output.Export.Name, world.templates.find((t) => t.stack === stack)!)) : '';
          if (name.length > 255) over.push(`export ${name}`);
        }
      }
    }
    expect(over).toEqual([]);
  });

  it('leaves room for the names the functions create at run time', () => {
    const ulid = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    for (const stage of [LONGEST_DEV_STAGE, LONGEST_PROD_STAGE]) {
      const names = stageNames(stage);
      const workflowId = `wf_${ulid}`;
      // Step Functions: machine names and execution names at most 80 characters.
      expect(`${names.prefix}-${workflowId}`.length).toBeLessThanOrEqual(80);
      expect(`exec_${ulid}-acct_${ulid}`.length).toBeLessThanOrEqual(80);
      // EventBridge Scheduler: schedule (the workflow id) and group names at most 64.
      expect(workflowId.length).toBeLessThanOrEqual(64);
      expect(names.scheduleGroupName.length).toBeLessThanOrEqual(64);
      // Lambda: the fixed function names, and a lambda-node function under the opt-in prefix with room for its own name.
      for (const name of [names.taskRunnerName, names.scheduledRunName]) expect(name.length).toBeLessThanOrEqual(64);
      expect(64 - stageConfig(stage).lambdaNodeFunctionPrefix.length).toBeGreaterThanOrEqual(20);
      // IAM: the scheduler role name.
      expect(names.schedulerRoleName.length).toBeLessThanOrEqual(64);
      // Secrets Manager: `stepwise/<stage>/<account>/<KEY>` with a 128-character key within 512.
      expect(`${names.secretNamePrefix}acct_${ulid}/${'K'.repeat(128)}`.length).toBeLessThanOrEqual(512);
      // API Gateway API key names.
      expect(`${names.apiKeyNamePrefix}${ulid}`.length).toBeLessThanOrEqual(1024);
      // SQS queue name.
      expect(names.webhookQueueName.length).toBeLessThanOrEqual(80);
    }
  });

  it(`keeps every function’s environment within Lambda’s ${ENVIRONMENT_BYTES} bytes`, () => {
    const sizes = worlds.flatMap((w) => w.functions.map((fn) => [fn.key, Object.entries(fn.environment).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0)] as const));
    expect(sizes.filter(([, n]) => n > ENVIRONMENT_BYTES)).toEqual([]);
    // The largest today, so a reviewer sees the headroom shrink.
    expect(Math.max(...sizes.map(([, n]) => n))).toBeLessThan(ENVIRONMENT_BYTES * 0.75);
  });

  it('keeps each role’s inline policies and trust policy within IAM’s limits', () => {
    const over: string[] = [];
    for (const world of worlds) {
      for (const fn of world.functions) {
        const size = fn.policies.reduce((n, p) => n + nonWhitespace(p.document), 0);
        if (size > ROLE_INLINE_POLICY_CHARS) over.push(`${world.stage} ${fn.key}: ${size}`);
      }
      for (const { logicalId, properties } of world.resourcesOf('AWS::IAM::Role')) {
        const trust = nonWhitespace(properties.AssumeRolePolicyDocument);
        if (trust > TRUST_POLICY_CHARS) over.push(`${world.stage} ${logicalId} trust: ${trust}`);
        const inline = nonWhitespace(properties.Policies ?? []);
        if (inline > ROLE_INLINE_POLICY_CHARS) over.push(`${world.stage} ${logicalId} inline: ${inline}`);
      }
    }
    expect(over).toEqual([]);
  });

  it('keeps each function’s resource policy (its invoke permissions) within Lambda’s limit', () => {
    for (const world of worlds) {
      const byFunction = new Map<string, number>();
      for (const { properties } of world.resourcesOf('AWS::Lambda::Permission')) {
        const fn = String(properties.FunctionName);
        byFunction.set(fn, (byFunction.get(fn) ?? 0) + JSON.stringify(properties).length + 200);
      }
      expect([...byFunction].filter(([, n]) => n > FUNCTION_POLICY_BYTES)).toEqual([]);
    }
  });
});
