import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleConfigStack, ConsoleStack, withConsoleOrigin } from '../../lib/console-stack.ts';
import { consoleContentSecurityPolicy } from '../../lib/definitions/console.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { createStepwiseStacks } from '../../lib/stepwise.ts';
import { only, resources } from './helpers.ts';

/** A stand-in build (the stack only needs index.html and assets/ to exist). */
function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-console-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'export {}');
  return dir;
}

let app: App;
let site: ConsoleStack;
let stacks: ReturnType<typeof createStepwiseStacks>;
let config: ConsoleConfigStack;

beforeAll(() => {
  app = new App();
  const stage = stageConfig('prod', { corsOrigins: 'https://app.example.com' });
  site = new ConsoleStack(app, 'Stepwise-prod-Console', { config: stage, distDir: fakeDist() });
  stacks = createStepwiseStacks(app, withConsoleOrigin(stage, site));
  config = new ConsoleConfigStack(app, 'Stepwise-prod-ConsoleConfig', { config: stage, site, apiUrl: stacks.api.api.url, liveUrl: stacks.events.live.stage.url });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}, 120_000);

describe('console stack', () => {
  it('serves a private bucket through CloudFront with origin access control, HTTPS only, and outputs its URL', () => {
    const t = Template.fromStack(site);
    const bucket = Object.values(resources(t, 'AWS::S3::Bucket')).find((b) => JSON.stringify(b.Properties).includes('BucketOwnerEnforced'))!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(only(t, 'AWS::CloudFront::OriginAccessControl').Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' });
    const dist = only(t, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as any;
    expect(dist.DefaultRootObject).toBe('index.html');
    expect(dist.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(dist.Logging).toBeDefined();
    expect(t.findOutputs('ConsoleUrl')).toHaveProperty('ConsoleUrl');
  });

  it('sends the console CSP (no inline script) and the security headers from a response headers policy', () => {
    const policy = only(Template.fromStack(site), 'AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig as any;
    const csp = JSON.stringify(policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain('execute-api');
    expect(consoleContentSecurityPolicy()).toContain("connect-src 'self'");
    expect(policy.SecurityHeadersConfig).toMatchObject({ FrameOptions: { FrameOption: 'DENY' }, ReferrerPolicy: { ReferrerPolicy: 'no-referrer' }, ContentTypeOptions: { Override: true } });
    expect(policy.SecurityHeadersConfig.StrictTransportSecurity.AccessControlMaxAgeSec).toBe(31_536_000);
  });

  it('writes config.json with the stage API and WebSocket URLs, and the API allows the console origin for CORS', () => {
    const deployment = Object.values(resources(Template.fromStack(config), 'Custom::CDKBucketDeployment'))[0]!;
    expect(JSON.stringify(deployment.Properties)).toContain('config.json');
    const env = JSON.stringify(Template.fromStack(stacks.api).toJSON());
    expect(env).toContain('CORS_ORIGINS');
    expect(env).toMatch(/Stepwise-prod-Console:ExportsOutputFnGetAttDistribution/);
  });

  it('keeps its buckets on prod stages; on dev-like stages cdk destroy empties and deletes them', () => {
    const prod = Template.fromStack(site).toJSON() as { Resources: Record<string, { Type: string; DeletionPolicy?: string }> };
    const prodBuckets = Object.values(prod.Resources).filter((r) => r.Type === 'AWS::S3::Bucket');
    expect(prodBuckets).toHaveLength(2);
    for (const bucket of prodBuckets) expect(bucket.DeletionPolicy).toBe('Retain');
    expect(Object.values(prod.Resources).filter((r) => r.Type === 'Custom::S3AutoDeleteObjects')).toEqual([]);

    const devApp = new App();
    const dev = Template.fromStack(new ConsoleStack(devApp, 'Stepwise-dev-Console', { config: stageConfig('dev'), distDir: fakeDist() })).toJSON() as typeof prod;
    const devBuckets = Object.values(dev.Resources).filter((r) => r.Type === 'AWS::S3::Bucket');
    for (const bucket of devBuckets) expect(bucket.DeletionPolicy).toBe('Delete');
    expect(Object.values(dev.Resources).filter((r) => r.Type === 'Custom::S3AutoDeleteObjects')).toHaveLength(devBuckets.length);
  });

  it('passes the cdk-nag AwsSolutions checks (acknowledged findings carry reasons)', () => {
    expect(() => app.synth()).not.toThrow();
  });
});
