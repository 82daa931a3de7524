/**
 * A stage as CloudFormation would create it in one account: every template synthesized (nested
 * ones included, bundling skipped — code is irrelevant here), every intrinsic evaluated to the
 * names and ARNs the resources would get, and every function with its resolved environment and
 * the policies attached to its role.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { StepwiseFunction } from '../../../lib/constructs/stepwise-function.ts';
import { type StageConfigOverrides, stageConfig } from '../../../lib/stage-config.ts';
import { createStepwiseStacks, type StepwiseStacks } from '../../../lib/stepwise.ts';

/** Stage names are at most 24 characters (lib/stage-config.ts): the longest make the longest names. */
export const LONGEST_DEV_STAGE = 'pr-123456789012345678901';
export const LONGEST_PROD_STAGE = 'prod-1234567890123456789';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const PARTITION = 'aws';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
}
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, unknown>;
}

export interface TemplateInfo {
  readonly stack: Stack;
  /** `Stepwise-<stage>-Api` or, nested, its construct path. */
  readonly name: string;
  readonly template: CfnTemplate;
  readonly parent?: TemplateInfo;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: unknown[];
}

export interface DeployedFunction {
  /** `<stack suffix>/<construct path>`, the key of lib/definitions/capabilities.ts. */
  readonly key: string;
  readonly construct: StepwiseFunction;
  readonly functionName: string;
  readonly roleArn: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly policies: readonly { name: string; document: PolicyDocument }[];
}

export interface World {
  readonly stage: string;
  readonly stacks: StepwiseStacks;
  readonly templates: readonly TemplateInfo[];
  readonly functions: readonly DeployedFunction[];
  /** Evaluates a template value to what CloudFormation would make of it. */
  evaluate(value: unknown, where: TemplateInfo): unknown;
  /** Every resource of a type, everywhere, with its evaluated properties. */
  resourcesOf(type: string): { info: TemplateInfo; logicalId: string; properties: Record<string, unknown> }[];
}

/** A stable fake physical id per logical id, the shape API Gateway and KMS use. */
const fakeId = (logicalId: string, length = 10) => {
  let h = 0;
  for (const c of logicalId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(36).padStart(length, '0').slice(0, length);
};

export function buildWorld(stage: string, overrides: StageConfigOverrides = {}): World {
  // No bundling: the deploy check is about templates and policies, not code.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = createStepwiseStacks(app, stageConfig(stage, overrides));
  const templates: TemplateInfo[] = [];
  const byStack = new Map<Stack, TemplateInfo>();
  const assembly = app.synth();
  const add = (stack: Stack, parent?: TemplateInfo) => {
    const template = (
      stack instanceof NestedStack ? JSON.parse(readFileSync(join(assembly.directory, stack.templateFile), 'utf8')) : assembly.getStackArtifact(stack.artifactId).template
    ) as CfnTemplate;
    const info: TemplateInfo = { stack, name: stack.node.path, template, ...(parent ? { parent } : {}) };
    templates.push(info);
    byStack.set(stack, info);
    for (const child of stack.node.findAll()) {
      if (child instanceof NestedStack && Stack.of(child.node.scope!) === stack) add(child, info);
    }
  };
  for (const stack of [stacks.data, stacks.workflow, stacks.events, stacks.api]) add(stack);

  const exportsByName = new Map<string, { info: TemplateInfo; value: unknown }>();
  for (const info of templates) {
    for (const output of Object.values(info.template.Outputs ?? {})) {
      if (output.Export) exportsByName.set(String(evaluate(output.Export.Name, info)), { info, value: output.Value });
    }
  }

  function attribute(info: TemplateInfo, logicalId: string, attr: string | undefined): unknown {
    const resource = info.template.Resources[logicalId];
    if (!resource) throw new Error(`${info.name}: no resource ${logicalId}`);
    const p = (key: string) => (resource.Properties?.[key] === undefined ? undefined : evaluate(resource.Properties[key], info));
    const generated = (max = 64) => `${info.stack.stackName}-${logicalId}`.slice(0, max);
    const arn = (service: string, resourcePart: string, region: string = REGION, account: string = ACCOUNT) => `arn:${PARTITION}:${service}:${region}:${account}:${resourcePart}`;
    switch (resource.Type) {
      case 'AWS::IAM::Role': {
        const name = String(p('RoleName') ?? generated());
        return attr === 'Arn' ? `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}` : attr === 'RoleId' ? `AROA${fakeId(logicalId, 16).toUpperCase()}` : name;
      }
      case 'AWS::Lambda::Function': {
        const name = String(p('FunctionName') ?? generated());
        return attr === 'Arn' ? arn('lambda', `function:${name}`) : name;
      }
      case 'AWS::DynamoDB::Table': {
        const name = String(p('TableName') ?? generated(255));
        if (attr === 'StreamArn') return `${arn('dynamodb', `table/${name}`)}/stream/2026-01-01T00:00:00.000`;
        return attr === 'Arn' ? arn('dynamodb', `table/${name}`) : name;
      }
      case 'AWS::SecretsManager::Secret':
        return arn('secretsmanager', `secret:${String(p('Name') ?? generated())}-AbCdEf`);
      case 'AWS::KMS::Key': {
        const id = `${fakeId(logicalId, 8)}-1111-2222-3333-${fakeId(`${logicalId}k`, 12)}`;
        return attr === 'Arn' ? arn('kms', `key/${id}`) : id;
      }
      case 'AWS::SQS::Queue': {
        const name = String(p('QueueName') ?? generated(80));
        if (attr === 'Arn') return arn('sqs', name);
        if (attr === 'QueueName') return name;
        return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
      }
      case 'AWS::Events::EventBus': {
        const name = String(p('Name'));
        return attr === 'Arn' ? arn('events', `event-bus/${name}`) : name;
      }
      case 'AWS::Logs::LogGroup': {
        const name = String(p('LogGroupName') ?? generated(512));
        return attr === 'Arn' ? arn('logs', `log-group:${name}:*`) : name;
      }
      case 'AWS::ApiGateway::RestApi':
        return attr === 'RootResourceId' ? fakeId(`${logicalId}root`) : fakeId(logicalId);
      case 'AWS::ApiGateway::Stage':
      case 'AWS::ApiGatewayV2::Stage':
        return p('StageName');
      case 'AWS::ApiGatewayV2::Api':
        return attr === 'ApiEndpoint' ? `wss://${fakeId(logicalId)}.execute-api.${REGION}.amazonaws.com` : fakeId(logicalId);
      case 'AWS::Scheduler::ScheduleGroup': {
        const name = String(p('Name'));
        return attr === 'Arn' ? arn('scheduler', `schedule-group/${name}`) : name;
      }
      case 'AWS::CloudFormation::Stack': {
        const nested = templates.find((t) => t.parent === info && t.stack.nestedStackResource && info.stack.getLogicalId(t.stack.nestedStackResource as never) === logicalId);
        if (!nested) throw new Error(`${info.name}: nested stack ${logicalId} not found`);
        const output = attr?.startsWith('Outputs.') ? nested.template.Outputs?.[attr.slice('Outputs.'.length)] : undefined;
        if (!output) throw new Error(`${nested.name}: no ${attr}`);
        return evaluate(output.Value, nested);
      }
      default:
        return attr ? `${logicalId}.${attr}` : fakeId(logicalId);
    }
  }

  function evaluate(value: unknown, info: TemplateInfo): unknown {
    if (Array.isArray(value)) return value.map((v) => evaluate(v, info));
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0]!;
      switch (fn) {
        case 'Ref': {
          const name = String(arg);
          if (name === 'AWS::Partition') return PARTITION;
          if (name === 'AWS::Region') return REGION;
          if (name === 'AWS::AccountId') return ACCOUNT;
          if (name === 'AWS::URLSuffix') return 'amazonaws.com';
          if (name === 'AWS::StackName') return info.stack.stackName;
          if (name === 'AWS::NoValue') return undefined;
          if (info.template.Parameters?.[name]) {
            if (!info.parent) return info.template.Parameters[name]!.Default;
            const resource = info.parent.template.Resources[info.parent.stack.getLogicalId(info.stack.nestedStackResource as never)];
            const passed = resource?.Properties?.Parameters as Record<string, unknown> | undefined;
            if (!passed || !(name in passed)) throw new Error(`${info.name}: parameter ${name} is not passed by ${info.parent.name}`);
            return evaluate(passed[name], info.parent);
          }
          return attribute(info, name, undefined);
        }
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split(/\.(.+)/);
          return attribute(info, id!, attr);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (evaluate(parts, info) as unknown[]).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (evaluate(list, info) as unknown[])[Number(evaluate(index, info))];
        }
        case 'Fn::Split': {
          const [sep, source] = arg as [string, unknown];
          return String(evaluate(source, info)).split(sep);
        }
        case 'Fn::Sub': {
          const [body, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Record<string, unknown>];
          return body.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name in vars) return String(evaluate(vars[name], info));
            const [id, attr] = name.split(/\.(.+)/);
            return String(id!.startsWith('AWS::') ? evaluate({ Ref: id }, info) : attr ? attribute(info, id!, attr) : evaluate({ Ref: id }, info));
          });
        }
        case 'Fn::ImportValue': {
          const name = String(evaluate(arg, info));
          const found = exportsByName.get(name);
          if (!found) throw new Error(`no export ${name}`);
          return evaluate(found.value, found.info);
        }
        case 'Fn::GetStackOutput': {
          const { StackName, OutputName } = arg as { StackName: unknown; OutputName: unknown };
          const source = templates.find((t) => !t.parent && t.stack.stackName === evaluate(StackName, info));
          const output = source?.template.Outputs?.[String(evaluate(OutputName, info))];
          if (!source || !output) throw new Error(`no output ${String(OutputName)} in ${String(StackName)}`);
          return evaluate(output.Value, source);
        }
        default:
          if (fn.startsWith('Fn::')) throw new Error(`${info.name}: unsupported ${fn}`);
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(v, info)]));
  }

  const resourcesOf = (type: string) =>
    templates.flatMap((info) =>
      Object.entries(info.template.Resources)
        .filter(([, r]) => r.Type === type)
        .map(([logicalId, r]) => ({ info, logicalId, properties: evaluate(r.Properties ?? {}, info) as Record<string, unknown> })),
    );

  const policies = resourcesOf('AWS::IAM::Policy');
  const roles = resourcesOf('AWS::IAM::Role');
  const functions: DeployedFunction[] = [];
  for (const construct of app.node.findAll().filter((c: IConstruct): c is StepwiseFunction => c instanceof StepwiseFunction)) {
    const info = byStack.get(Stack.of(construct))!;
    const fnId = info.stack.getLogicalId(construct.function.node.defaultChild as never);
    const roleId = info.stack.getLogicalId(construct.role.node.defaultChild as never);
    const fn = evaluate(info.template.Resources[fnId]!.Properties, info) as { FunctionName?: string; Environment?: { Variables?: Record<string, string> } };
    const roleName = String(attribute(info, roleId, undefined));
    const role = roles.find((r) => r.info === info && r.logicalId === roleId)!;
    const inline = ((role.properties.Policies as { PolicyName: string; PolicyDocument: PolicyDocument }[] | undefined) ?? []).map((p) => ({ name: p.PolicyName, document: p.PolicyDocument }));
    const attached = policies.filter((p) => ((p.properties.Roles as string[] | undefined) ?? []).includes(roleName)).map((p) => ({ name: String(p.properties.PolicyName), document: p.properties.PolicyDocument as PolicyDocument }));
    const stackSuffix = info.stack.stackName.slice(info.stack.stackName.lastIndexOf('-') + 1);
    functions.push({
      key: `${stackSuffix}/${construct.node.path.split('/').slice(1).join('/')}`,
      construct,
      functionName: String(attribute(info, fnId, undefined)),
      roleArn: String(attribute(info, roleId, 'Arn')),
      environment: fn.Environment?.Variables ?? {},
      policies: [...inline, ...attached],
    });
  }
  return { stage, stacks, templates, functions, evaluate, resourcesOf };
}
