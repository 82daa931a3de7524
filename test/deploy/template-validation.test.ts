/**
 * The offline deploy check, part 2 (docs/deploy.md#offline-deploy-check): every resource of every
 * template — nested stacks included, at the longest dev and prod stage names — against the
 * CloudFormation resource specification (@aws-cdk/aws-service-spec): the type exists, every
 * property is one the type has, required properties are present, nested property objects have
 * only known keys and their required ones, literal strings are among the allowed values, and
 * every Ref, Fn::GetAtt attribute and DependsOn names something that exists.
 */
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { SpecDatabase } from '@aws-cdk/service-spec-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type CfnTemplate, LONGEST_DEV_STAGE, LONGEST_PROD_STAGE, type World } from './support/world.ts';

interface PropertyType {
  readonly type: string;
  readonly reference?: { $ref: string };
  readonly element?: PropertyType;
  readonly types?: PropertyType[];
  readonly allowedValues?: string[];
}
interface Property {
  readonly type: PropertyType;
  readonly required?: boolean;
}

let db: SpecDatabase;
let worlds: World[];

beforeAll(async () => {
  db = await loadAwsServiceSpec();
  worlds = [buildWorld(LONGEST_DEV_STAGE), buildWorld(LONGEST_PROD_STAGE, { corsOrigins: 'https://app.example.com', chatEngine: 'bedrock', bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0' })];
});

const PSEUDO = new Set(['AWS::Partition', 'AWS::Region', 'AWS::AccountId', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId', 'AWS::NoValue', 'AWS::NotificationARNs']);
const isIntrinsic = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && /^(Ref|Fn::|Condition$)/.test(Object.keys(v)[0]!);

function checkValue(value: unknown, type: PropertyType, path: string, problems: string[]): void {
  if (value === undefined || isIntrinsic(value)) return;
  switch (type.type) {
    case 'ref': {
      const def = db.get('typeDefinition', type.reference!.$ref) as { properties: Record<string, Property> };
      checkObject(value, def.properties, path, problems);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) problems.push(`${path}: expected a list`);
      else value.forEach((v, i) => checkValue(v, type.element!, `${path}[${i}]`, problems));
      return;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) problems.push(`${path}: expected a map`);
      else for (const [k, v] of Object.entries(value as object)) checkValue(v, type.element!, `${path}.${k}`, problems);
      return;
    case 'union': {
      const attempts = type.types!.map((t) => {
        const p: string[] = [];
        checkValue(value, t, path, p);
        return p;
      });
      if (!attempts.some((p) => p.length === 0)) problems.push(...attempts[0]!);
      return;
    }
    case 'string':
      if (typeof value === 'string' && type.allowedValues && !type.allowedValues.includes(value)) problems.push(`${path}: '${value}' is not one of ${type.allowedValues.join(', ')}`);
      else if (typeof value === 'object') problems.push(`${path}: expected a string`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') problems.push(`${path}: expected a boolean`);
      return;
    case 'integer':
    case 'number':
      if (Number.isNaN(Number(value))) problems.push(`${path}: expected a number`);
      return;
    default:
      return;
  }
}

function checkObject(value: unknown, properties: Record<string, Property>, path: string, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: expected an object`);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const spec = properties[key];
    if (!spec) problems.push(`${path}.${key}: unknown property`);
    else checkValue(v, spec.type, `${path}.${key}`, problems);
  }
  for (const [key, spec] of Object.entries(properties)) if (spec.required && !(key in value)) problems.push(`${path}.${key}: required`);
}

function references(value: unknown, visit: (fn: string, arg: unknown) => void): void {
  if (Array.isArray(value)) value.forEach((v) => references(v, visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' || k === 'Fn::GetAtt') visit(k, v);
      references(v, visit);
    }
  }
}

function validate(name: string, template: CfnTemplate): string[] {
  const problems: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const where = `${name}/${id} (${resource.Type})`;
    if (resource.Type === 'AWS::CDK::Metadata') continue;
    const [spec] = db.lookup('resource', 'cloudFormationType', 'equals', resource.Type) as unknown as { properties: Record<string, Property>; attributes: Record<string, unknown> }[];
    if (!spec) {
      problems.push(`${where}: no such resource type`);
      continue;
    }
    checkObject(resource.Properties ?? {}, spec.properties, where, problems);
    for (const dep of [resource.DependsOn ?? []].flat()) if (!template.Resources[dep]) problems.push(`${where}: DependsOn ${dep} does not exist`);
    references(resource.Properties ?? {}, (fn, arg) => {
      if (fn === 'Ref') {
        const target = String(arg);
        if (!PSEUDO.has(target) && !template.Resources[target] && !template.Parameters?.[target]) problems.push(`${where}: Ref ${target} does not exist`);
        return;
      }
      const [targetId, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split(/\.(.+)/);
      const target = template.Resources[targetId!];
      if (!target) return void problems.push(`${where}: Fn::GetAtt ${targetId} does not exist`);
      if (target.Type === 'AWS::CloudFormation::Stack' && attr!.startsWith('Outputs.')) return;
      const [targetSpec] = db.lookup('resource', 'cloudFormationType', 'equals', target.Type) as unknown as { attributes: Record<string, unknown> }[];
      if (targetSpec && !(String(attr) in targetSpec.attributes)) problems.push(`${where}: ${target.Type} has no attribute ${attr}`);
    });
  }
  return problems;
}

describe('templates against the CloudFormation resource specification', () => {
  it('validates every resource of every stack and nested stack, dev-like and prod-like, at the longest stage names', () => {
    let resources = 0;
    const problems: string[] = [];
    for (const world of worlds) {
      for (const { name, template } of world.templates) {
        resources += Object.keys(template.Resources).length;
        problems.push(...validate(name, template));
      }
    }
    expect(problems).toEqual([]);
    expect(resources).toBeGreaterThan(500);
  });

  it('catches what it claims to: an unknown property, a missing required one, a bad enum value, a dangling reference', () => {
    const template: CfnTemplate = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'x' }, Role: { 'Fn::GetAtt': ['Role', 'Nope'] }, Runtim: 'nodejs22.x', PackageType: 'Tarball' } },
        Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} }, DependsOn: ['Missing'] },
        Queue: { Type: 'AWS::SQS::Queue', Properties: { RedrivePolicy: { Ref: 'Gone' } } },
      },
    };
    const problems = validate('t', template);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Fn (AWS::Lambda::Function).Runtim: unknown property'),
        expect.stringContaining("'Tarball' is not one of"),
        expect.stringContaining('has no attribute Nope'),
        expect.stringContaining('DependsOn Missing does not exist'),
        expect.stringContaining('Ref Gone does not exist'),
      ]),
    );
  });
});
