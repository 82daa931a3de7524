import { RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { isProdStage, stageConfig } from '../../lib/stage-config.ts';

describe('stageConfig', () => {
  it('makes dev a throwaway stage', () => {
    const dev = stageConfig('dev');
    expect(dev).toMatchObject({ stage: 'dev', stackPrefix: 'Stepwise-dev', retainData: false, removalPolicy: RemovalPolicy.DESTROY });
    expect(dev.corsAllowOrigins).toContain('http://localhost:3000');
  });

  it('retains data on prod and every prod* stage', () => {
    for (const stage of ['prod', 'prod-eu', 'produs']) {
      expect(stageConfig(stage), stage).toMatchObject({ retainData: true, removalPolicy: RemovalPolicy.RETAIN });
      expect(isProdStage(stage)).toBe(true);
    }
  });

  it('gives unknown stages dev-like defaults without retention', () => {
    const preview = stageConfig('pr-42');
    const dev = stageConfig('dev');
    expect(preview).toMatchObject({ stage: 'pr-42', stackPrefix: 'Stepwise-pr-42', retainData: false });
    expect(preview.throttling).toEqual(dev.throttling);
    expect(preview.lambda).toEqual(dev.lambda);
    expect(preview.logRetention).toBe(dev.logRetention);
    expect(preview.corsAllowOrigins).toEqual(dev.corsAllowOrigins);
  });

  it('gives prod higher limits, longer logs, less verbose logging, and no default browser origins', () => {
    const prod = stageConfig('prod');
    const dev = stageConfig('dev');
    expect(prod.throttling.rateLimit).toBeGreaterThan(dev.throttling.rateLimit);
    expect(prod.throttling.burstLimit).toBeGreaterThanOrEqual(prod.throttling.rateLimit);
    expect(prod.logRetention).toBeGreaterThan(dev.logRetention);
    expect(prod.logLevel).toBe('info');
    expect(prod.corsAllowOrigins).toEqual([]);
  });

  it('keeps Lambda timeouts under the 29 s API Gateway integration limit', () => {
    for (const stage of ['dev', 'prod']) expect(stageConfig(stage).lambda.timeout.toSeconds()).toBeLessThan(29);
  });

  it('gives every stage the tier usage plans of docs/api.md#rate-limits, each with a burst of one minute’s allowance', () => {
    for (const stage of ['dev', 'prod']) {
      const { usagePlans, authorizerCacheSeconds } = stageConfig(stage);
      expect(usagePlans).toEqual({ free: { requestsPerMinute: 500, burstLimit: 500 }, enterprise: { requestsPerMinute: 5000, burstLimit: 5000 } });
      expect(authorizerCacheSeconds).toBeGreaterThan(0);
      expect(authorizerCacheSeconds).toBeLessThanOrEqual(300);
    }
  });

  it('reports the package.json version', () => {
    expect(stageConfig('dev').appVersion).toBe(packageJson.version);
  });

  it('takes CORS origins from context, rejecting values a browser would never send', () => {
    expect(stageConfig('prod', { corsOrigins: 'https://app.example.com, https://admin.example.com:8443' }).corsAllowOrigins).toEqual([
      'https://app.example.com',
      'https://admin.example.com:8443',
    ]);
    expect(() => stageConfig('prod', { corsOrigins: 'https://app.example.com/' })).toThrow(/Invalid CORS origin/);
    expect(() => stageConfig('prod', { corsOrigins: 'app.example.com' })).toThrow(/Invalid CORS origin/);
  });

  it('rejects stage names that cannot become stack names', () => {
    for (const stage of ['', 'Prod', 'my_stage', '1dev', 'x'.repeat(25), 'dev.eu']) {
      expect(() => stageConfig(stage), JSON.stringify(stage)).toThrow(/Invalid stage/);
    }
  });
});

describe('stageConfig chat engine', () => {
  const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

  it('defaults every stage to the offline rules engine', () => {
    for (const stage of ['dev', 'prod', 'pr-42']) expect(stageConfig(stage).chat).toEqual({ engine: 'rules' });
  });

  it('turns on Bedrock with a foundation-model id', () => {
    expect(stageConfig('prod', { chatEngine: 'bedrock', bedrockModelId: MODEL }).chat).toEqual({ engine: 'bedrock', bedrockModelId: MODEL });
    expect(stageConfig('dev', { chatEngine: 'bedrock', bedrockModelId: 'amazon.nova-lite-v1:0' }).chat.bedrockModelId).toBe('amazon.nova-lite-v1:0');
  });

  it.each([
    [{ chatEngine: 'bedrock' }, /needs bedrockModelId/],
    [{ chatEngine: 'gpt' }, /Invalid chatEngine 'gpt'/],
    [{ bedrockModelId: MODEL }, /only used with chatEngine=bedrock/],
    [{ chatEngine: 'bedrock', bedrockModelId: `us.${MODEL}` }, /not an ARN or a cross-region inference profile/],
    [{ chatEngine: 'bedrock', bedrockModelId: `arn:aws:bedrock:us-east-1::foundation-model/${MODEL}` }, /Invalid bedrockModelId/],
    [{ chatEngine: 'bedrock', bedrockModelId: 'claude' }, /Invalid bedrockModelId/],
  ])('rejects %j', (overrides, message) => {
    expect(() => stageConfig('dev', overrides)).toThrow(message);
  });
});
