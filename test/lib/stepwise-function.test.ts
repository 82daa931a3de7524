import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mergeEnvironment, StepwiseFunction } from '../../lib/constructs/stepwise-function.ts';
import { LAMBDA_BUILD } from '../../lib/definitions/lambda-build.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { allActions, logicalId, resource, skipBuiltinValidation, statementsForRole } from './helpers.ts';

const config = stageConfig('prod');
let app: App;
let fn: StepwiseFunction;
let template: Template;

beforeAll(() => {
  skipBuiltinValidation();
  // Asset metadata (as the CLI enables it) tells the test where the bundle was written.
  app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'FunctionTest');
  fn = new StepwiseFunction(stack, 'Probe', {
    config,
    entry: 'functions/signing-keys/handler.ts',
    sharedEnvironment: { TABLE_NAME: 'table', JWKS_SECRET_ARN: 'arn:jwks' },
    environment: { EXTRA: 'own' },
  });
  template = Template.fromStack(stack);
}, 120_000);
afterAll(() => vi.unstubAllEnvs());

function bundleDir(): string {
  const metadata = resource(template, 'AWS::Lambda::Function', logicalId(fn.function)).Metadata ?? {};
  return join(app.outdir, metadata['aws:asset:path'] ?? '');
}

function bundle(): string {
  return readFileSync(join(bundleDir(), 'index.mjs'), 'utf8');
}

describe('StepwiseFunction', () => {
  it('merges base, shared and own environment instead of replacing it', () => {
    const env = (resource(template, 'AWS::Lambda::Function', logicalId(fn.function)).Properties.Environment as { Variables: object }).Variables;
    expect(env).toEqual({
      STEPWISE_MODE: 'aws',
      STEPWISE_STAGE: 'prod',
      APP_VERSION: config.appVersion,
      LOG_LEVEL: 'info',
      TABLE_NAME: 'table',
      JWKS_SECRET_ARN: 'arn:jwks',
      EXTRA: 'own',
    });
  });

  it('refuses to let a layer override another', () => {
    expect(() => mergeEnvironment('Fn', { STEPWISE_MODE: 'aws' }, { STEPWISE_MODE: 'local' })).toThrow(/STEPWISE_MODE is set by StepwiseFunction/);
    expect(() => mergeEnvironment('Fn', {}, { TABLE_NAME: 'a' }, { TABLE_NAME: 'b' })).toThrow(/TABLE_NAME is defined twice/);
  });

  it('bundles an ESM module with the createRequire shim, minified, with a source map and the AWS SDK inside', () => {
    const code = bundle();
    expect(code.startsWith(LAMBDA_BUILD.banner.js)).toBe(true);
    // Bundled (lib/definitions/lambda-build.ts): nothing is left for the runtime's SDK to provide.
    expect(code).not.toMatch(/from\s*"@aws-sdk\//);
    expect(code).toContain('//# sourceMappingURL=index.mjs.map');
    // Minified: a few very long lines rather than formatted source.
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
  });

  it('splits lazily imported adapters and SDK clients into chunks that the entry reaches only through import()', () => {
    const dir = bundleDir();
    const code = bundle();
    const lazy = [...code.matchAll(/import\("\.\/chunks\/([^"]+\.mjs)"\)/g)].map((m) => m[1]!);
    expect(lazy.length).toBeGreaterThan(0);
    for (const f of lazy) {
      expect(readdirSync(join(dir, 'chunks'))).toContain(f);
      // A static import would compile the chunk at cold start, which is what splitting avoids.
      expect(code).not.toContain(`from"./chunks/${f}"`);
    }
  });

  it('writes logs only to its own log group, retained on prod', () => {
    const logGroupId = logicalId(fn.logGroup);
    expect(resource(template, 'AWS::Logs::LogGroup', logGroupId)).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { RetentionInDays: config.logRetention },
    });
    expect(resource(template, 'AWS::IAM::Role', logicalId(fn.role)).Properties.ManagedPolicyArns).toBeUndefined();
    expect(statementsForRole(template, logicalId(fn.role))).toContainEqual({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
    });
    expect(allActions(statementsForRole(template, logicalId(fn.role))).filter((a) => a.startsWith('logs:'))).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
  });

  it('keeps the X-Ray wildcard in a policy of its own', () => {
    expect(resource(template, 'AWS::Lambda::Function', logicalId(fn.function)).Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
    });
    const xray = resource(template, 'AWS::IAM::Policy', logicalId(fn.node.findChild('XRayWrite')));
    expect(xray.Properties.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' }],
    });
  });
});
