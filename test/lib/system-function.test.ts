import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { docsBundledFiles } from '../../lib/api-stack.ts';
import { StepwiseFunction } from '../../lib/constructs/stepwise-function.ts';
import { API_DOCUMENT_FILE, DOCS_ASSETS, DOCS_ASSETS_DIR } from '../../lib/definitions/docs-assets.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { buildOpenApiDocument } from '../../functions/system/openapi.ts';
import { proxyEvent } from '../support/proxy-event.ts';
import { logicalId, resource, skipBuiltinValidation } from './helpers.ts';

/**
 * The system function as CDK deploys it (its bundle and the files beside it), imported and called
 * the way Lambda calls it: what it serves comes from the bundle alone, not from the repository.
 */
const config = stageConfig('dev');
let dir: string;
let handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  skipBuiltinValidation();
  const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'SystemFunctionTest');
  const fn = new StepwiseFunction(stack, 'System', { config, entry: 'functions/system/handler.ts', bundledFiles: docsBundledFiles(config) });
  const template = Template.fromStack(stack);
  dir = join(app.outdir, resource(template, 'AWS::Lambda::Function', logicalId(fn.function)).Metadata?.['aws:asset:path'] ?? '');
  for (const [k, v] of Object.entries({ STEPWISE_MODE: 'aws', STEPWISE_STAGE: 'dev', APP_VERSION: config.appVersion, LOG_LEVEL: 'error', AWS_REGION: 'us-east-1', TABLE_NAME: 'unused', JWKS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:jwks' })) vi.stubEnv(k, v);
  ({ handler } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: typeof handler });
}, 180_000);
afterAll(() => vi.unstubAllEnvs());

describe('the deployed system function', () => {
  it('ships the OpenAPI document generated at synth next to its code, and not the generator', () => {
    expect(readdirSync(dir)).toContain(API_DOCUMENT_FILE);
    expect(readdirSync(join(dir, DOCS_ASSETS_DIR)).toSorted()).toEqual(Object.keys(DOCS_ASSETS).toSorted());
    const code = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mjs')).map((f) => readFileSync(join(dir, f), 'utf8'));
    // zod-to-openapi's registry method: present only where the document is built.
    expect(code.some((c) => c.includes('registerPath'))).toBe(false);
  });

  it('serves that document: the one local mode builds from the schemas, for the stage version', async () => {
    const res = await handler(proxyEvent('GET', '/api/v1/openapi.json', { path: '/api/v1/openapi.json' }), {});
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual(buildOpenApiDocument(config.appVersion));
  });
});
