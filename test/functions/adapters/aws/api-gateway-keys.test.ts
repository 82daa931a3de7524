import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiGatewayKeys, resolveUsagePlans } from '../../../../functions/adapters/aws/api-gateway-keys.ts';

const gateway = mockClient(APIGatewayClient);
const client = new APIGatewayClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' } });

const names = { free: 'Stepwise-prod-free', enterprise: 'Stepwise-prod-enterprise' };
const PLANS: { id: string; name: string }[] = [
  { id: 'planfree', name: 'Stepwise-prod-free' },
  { id: 'planent', name: 'Stepwise-prod-enterprise' },
  { id: 'other', name: 'Stepwise-dev-free' },
];
const out = <T extends object>(body: T) => ({ $metadata: {}, ...body });
const error = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
/** Every command sent, in order, as [command, input]. */
const sent = () => gateway.calls().map((c) => [c.args[0].constructor.name, c.args[0].input]);

function keys() {
  return new ApiGatewayKeys(client, { stage: 'prod', usagePlanNames: names });
}

describe('ApiGatewayKeys', () => {
  beforeEach(() => {
    gateway.reset();
    gateway.on(GetUsagePlansCommand).resolves(out({ items: PLANS }));
  });

  it('creates a tagged key with a generated value and puts it in the plan of the account’s tier', async () => {
    gateway.on(CreateApiKeyCommand).callsFake((input: { value: string }) => ({ id: 'key1', value: input.value }));
    gateway.on(CreateUsagePlanKeyCommand).resolves(out({ id: 'key1', type: 'API_KEY' }));
    const key = await keys().provision({ id: 'acct_1', plan: 'enterprise' });
    expect(key.id).toBe('key1');
    expect(key.value).toMatch(/^[0-9a-f]{64}$/);
    expect(sent()).toEqual([
      ['GetUsagePlansCommand', { limit: 500 }],
      [
        'CreateApiKeyCommand',
        {
          name: 'stepwise-prod-acct_1',
          description: 'Usage-plan identity of Stepwise account acct_1; not a client credential',
          enabled: true,
          value: key.value,
          tags: { 'stepwise:account': 'acct_1', 'stepwise:stage': 'prod' },
        },
      ],
      ['CreateUsagePlanKeyCommand', { usagePlanId: 'planent', keyId: 'key1', keyType: 'API_KEY' }],
    ]);
  });

  it('generates a different value for every key', async () => {
    gateway.on(CreateApiKeyCommand).callsFake((input: { value: string }) => ({ id: `k-${input.value}`, value: input.value }));
    gateway.on(CreateUsagePlanKeyCommand).resolves(out({}));
    const gatewayKeys = keys();
    const [a, b] = [await gatewayKeys.provision({ id: 'acct_1', plan: 'free' }), await gatewayKeys.provision({ id: 'acct_2', plan: 'free' })];
    expect(a.value).not.toBe(b.value);
    // Plan ids are looked up once per container.
    expect(gateway.commandCalls(GetUsagePlansCommand as never)).toHaveLength(1);
  });

  it('deletes the new key again when it cannot join its usage plan', async () => {
    gateway.on(CreateApiKeyCommand).resolves(out({ id: 'key1', value: 'v'.repeat(43) }));
    gateway.on(CreateUsagePlanKeyCommand).rejects(error('BadRequestException', 400));
    gateway.on(DeleteApiKeyCommand).resolves(out({}));
    await expect(keys().provision({ id: 'acct_1', plan: 'free' })).rejects.toMatchObject({ name: 'BadRequestException' });
    expect(sent().slice(1).map(([name]) => name)).toEqual(['CreateApiKeyCommand', 'CreateUsagePlanKeyCommand', 'DeleteApiKeyCommand']);
    expect(sent().at(-1)).toEqual(['DeleteApiKeyCommand', { apiKey: 'key1' }]);
  });

  it('moves a key out of the old plan, then into the new one', async () => {
    gateway.on(DeleteUsagePlanKeyCommand).resolves(out({}));
    gateway.on(CreateUsagePlanKeyCommand).resolves(out({}));
    await keys().changePlan('key1', 'free', 'enterprise');
    expect(sent().slice(1)).toEqual([
      ['DeleteUsagePlanKeyCommand', { usagePlanId: 'planfree', keyId: 'key1' }],
      ['CreateUsagePlanKeyCommand', { usagePlanId: 'planent', keyId: 'key1', keyType: 'API_KEY' }],
    ]);
  });

  it('treats a move that already happened as done, so a retried update succeeds', async () => {
    gateway.on(DeleteUsagePlanKeyCommand).rejects(error('NotFoundException', 404));
    gateway.on(CreateUsagePlanKeyCommand).rejects(error('ConflictException', 409));
    await expect(keys().changePlan('key1', 'enterprise', 'free')).resolves.toBeUndefined();
  });

  it('puts the key back in the old plan when the new one refuses it', async () => {
    gateway.on(DeleteUsagePlanKeyCommand).resolves(out({}));
    gateway
      .on(CreateUsagePlanKeyCommand, { usagePlanId: 'planent' } as never)
      .rejects(error('TooManyRequestsException', 429))
      .on(CreateUsagePlanKeyCommand, { usagePlanId: 'planfree' } as never)
      .resolves(out({}));
    await expect(keys().changePlan('key1', 'free', 'enterprise')).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    expect(sent().slice(1)).toEqual([
      ['DeleteUsagePlanKeyCommand', { usagePlanId: 'planfree', keyId: 'key1' }],
      ['CreateUsagePlanKeyCommand', { usagePlanId: 'planent', keyId: 'key1', keyType: 'API_KEY' }],
      ['CreateUsagePlanKeyCommand', { usagePlanId: 'planfree', keyId: 'key1', keyType: 'API_KEY' }],
    ]);
  });

  it('does nothing for a move to the same plan', async () => {
    await keys().changePlan('key1', 'free', 'free');
    expect(sent()).toEqual([]);
  });

  it('deletes a key, and a key already gone counts as deleted', async () => {
    gateway.on(DeleteApiKeyCommand).resolvesOnce(out({})).rejectsOnce(error('NotFoundException', 404));
    await keys().remove('key1');
    await keys().remove('key1');
    expect(sent()).toEqual([
      ['DeleteApiKeyCommand', { apiKey: 'key1' }],
      ['DeleteApiKeyCommand', { apiKey: 'key1' }],
    ]);
    gateway.on(DeleteApiKeyCommand).rejects(error('TooManyRequestsException', 429));
    await expect(keys().remove('key1')).rejects.toMatchObject({ name: 'TooManyRequestsException' });
  });
});

describe('resolveUsagePlans', () => {
  beforeEach(() => gateway.reset());

  it('follows pages and maps each tier to its plan id', async () => {
    gateway
      .on(GetUsagePlansCommand)
      .resolvesOnce(out({ items: [PLANS[0]!], position: 'p2' }))
      .resolvesOnce(out({ items: [PLANS[1]!, PLANS[2]!] }));
    expect(await resolveUsagePlans(client, names)).toEqual({ free: 'planfree', enterprise: 'planent' });
    expect(sent()).toEqual([
      ['GetUsagePlansCommand', { limit: 500 }],
      ['GetUsagePlansCommand', { limit: 500, position: 'p2' }],
    ]);
  });

  it('refuses a missing or ambiguous plan rather than guessing', async () => {
    gateway.on(GetUsagePlansCommand).resolves(out({ items: [PLANS[0]!] }));
    await expect(resolveUsagePlans(client, names)).rejects.toThrow(/usage plan named 'Stepwise-prod-enterprise', found 0/);
    gateway.on(GetUsagePlansCommand).resolves(out({ items: [...PLANS, { id: 'dup', name: 'Stepwise-prod-free' }] }));
    await expect(resolveUsagePlans(client, names)).rejects.toThrow(/'Stepwise-prod-free', found 2/);
  });

  it('is retried by the next provision after a failed lookup', async () => {
    gateway.on(GetUsagePlansCommand).rejectsOnce(error('TooManyRequestsException', 429)).resolves(out({ items: PLANS }));
    gateway.on(CreateApiKeyCommand).resolves(out({ id: 'key1', value: 'v'.repeat(43) }));
    gateway.on(CreateUsagePlanKeyCommand).resolves(out({}));
    const gatewayKeys = keys();
    await expect(gatewayKeys.provision({ id: 'acct_1', plan: 'free' })).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    await expect(gatewayKeys.provision({ id: 'acct_1', plan: 'free' })).resolves.toMatchObject({ id: 'key1' });
  });
});
