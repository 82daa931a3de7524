import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../../functions/adapters/logging/json-logger.ts';
import { lambdaStepwise } from '../../../functions/root/aws.ts';
import { parseConfig } from '../../../functions/root/config.ts';
import { executionsOf } from '../../../functions/root/executions.ts';
import { identityOf } from '../../../functions/root/identity.ts';
import { localPlatform } from '../../../functions/root/local.ts';
import { createStepwise } from '../../../functions/root/stepwise.ts';
import { webhooksOf } from '../../../functions/root/webhooks.ts';

const local = (settings: Record<string, string>) => {
  const config = parseConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:1', ...settings });
  return createStepwise(config, localPlatform(config, { logger: createJsonLogger('error', () => undefined), timeScale: 1 }));
};

describe('createStepwise (the composition root)', () => {
  it('keeps two differently configured instances apart in one process', () => {
    const a = local({ TABLE_NAME: 'table-a', RATE_LIMIT_FREE: '5' });
    const b = local({ TABLE_NAME: 'table-b', RATE_LIMIT_FREE: '7' });
    expect([a.table, b.table]).toEqual(['table-a', 'table-b']);
    expect([a.config.rateLimits.free, b.config.rateLimits.free]).toEqual([5, 7]);
    expect(identityOf(a).rateLimiter).not.toBe(identityOf(b).rateLimiter);
    expect(a.db).not.toBe(b.db);
    expect(executionsOf(a)).not.toBe(executionsOf(b));
  });

  it('builds each service and slice once per instance, on first use', () => {
    const s = local({ TABLE_NAME: 't' });
    expect(s.tasks).toBe(s.tasks);
    expect(identityOf(s)).toBe(identityOf(s));
    expect(identityOf(s).verifier).toBe(identityOf(s).verifier);
    expect(executionsOf(s)).toBe(executionsOf(s));
    expect(webhooksOf(s).service).toBe(webhooksOf(s).service);
  });

  it('uses nothing a local platform lacks until a request needs it, then says what is missing', async () => {
    // Like the engine thread's: no bus, no queue, no engine. Building the slices is fine, using them is not.
    const s = local({ TABLE_NAME: 't' });
    await expect(s.platform.publisher().publish([])).rejects.toThrow(/no event bus/);
    await expect(s.platform.deliveryQueue().send([])).rejects.toThrow(/no webhook delivery queue/);
  });
});

describe('lambdaStepwise (a Lambda at cold start)', () => {
  const base = { TABLE_NAME: 'stepwise-prod-table', JWKS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:jwks' };

  it('refuses to build a function without the settings its capabilities require, naming each', () => {
    expect(() => lambdaStepwise('Api/WebhooksFunction', base)).toThrow(/WEBHOOK_QUEUE_URL: is required \(capability webhooks:enqueue\)/);
    expect(() => lambdaStepwise('Api/AccountsFunction', base)).toThrow(/USAGE_PLAN_FREE_NAME: is required.*USAGE_PLAN_ENTERPRISE_NAME: is required.*SECRETS_KMS_KEY_ID: is required/);
  });

  it('refuses a function no capabilities are declared for', () => {
    expect(() => lambdaStepwise('Api/NoSuchFunction', base)).toThrow(/No capabilities are declared for Api\/NoSuchFunction/);
  });

  it('builds one with them, over the AWS platform', () => {
    const s = lambdaStepwise('Api/TasksFunction', base);
    expect(s.platform.name).toBe('aws');
    expect(s.platform.network).toMatchObject({ allowLoopback: false, requireHttps: true });
  });
});
