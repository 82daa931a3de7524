import { describe, expect, it, vi } from 'vitest';
import {
  ApiGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetUsagePlansCommand,
} from '../../../../functions/adapters/aws/api-gateway-client.ts';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function fakeApiGateway(...answers: { status: number; body?: unknown; type?: string }[]) {
  const sent: Sent[] = [];
  const fetch = vi.fn(async (url: URL | string, init?: RequestInit) => {
    sent.push({ url: String(url), method: init?.method ?? 'GET', headers: init?.headers as Record<string, string>, body: init?.body as string | undefined });
    const answer = answers.shift() ?? { status: 200, body: {} };
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: answer.type ? { 'x-amzn-ErrorType': `${answer.type}:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/` } : {},
    });
  });
  const sleep = vi.fn(async () => undefined);
  const client = new ApiGatewayClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' },
    fetch: fetch as unknown as typeof globalThis.fetch,
    sleep,
  });
  return { client, sent, sleep };
}

describe('ApiGatewayClient', () => {
  it('sends CreateApiKey as a SigV4-signed JSON POST to the regional control plane', async () => {
    const { client, sent } = fakeApiGateway({ status: 201, body: { id: 'k1', value: 'v'.repeat(40), name: 'n', enabled: true } });
    const out = await client.send(new CreateApiKeyCommand({ name: 'n', enabled: true, value: 'v'.repeat(40), tags: { 'stepwise:account': 'acct_1' } }));
    expect(out).toMatchObject({ id: 'k1', value: 'v'.repeat(40) });
    const [request] = sent;
    expect(request).toMatchObject({ url: 'https://apigateway.eu-west-1.amazonaws.com/apikeys', method: 'POST' });
    expect(JSON.parse(request!.body!)).toEqual({ name: 'n', enabled: true, value: 'v'.repeat(40), tags: { 'stepwise:account': 'acct_1' } });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/apigateway\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/);
    expect(request!.headers['x-amz-security-token']).toBe('session');
    expect(request!.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    // fetch derives Host from the URL; setting it by hand is refused by some runtimes.
    expect(request!.headers).not.toHaveProperty('host');
  });

  it('maps the usage-plan key calls and GetUsagePlans to their REST paths', async () => {
    const { client, sent } = fakeApiGateway(
      { status: 201, body: { id: 'k1', type: 'API_KEY' } },
      { status: 202 },
      { status: 202 },
      { status: 200, body: { item: [{ id: 'p1', name: 'free' }], position: 'next' } },
    );
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: 'p1', keyId: 'k1', keyType: 'API_KEY' }));
    await client.send(new DeleteUsagePlanKeyCommand({ usagePlanId: 'p1', keyId: 'k1' }));
    await client.send(new DeleteApiKeyCommand({ apiKey: 'k1' }));
    const plans = await client.send(new GetUsagePlansCommand({ limit: 500, position: 'abc' }));
    expect(sent.map((s) => `${s.method} ${s.url.replace('https://apigateway.eu-west-1.amazonaws.com', '')}`)).toEqual([
      'POST /usageplans/p1/keys',
      'DELETE /usageplans/p1/keys/k1',
      'DELETE /apikeys/k1',
      'GET /usageplans?limit=500&position=abc',
    ]);
    expect(JSON.parse(sent[0]!.body!)).toEqual({ keyId: 'k1', keyType: 'API_KEY' });
    expect(sent[1]!.body).toBeUndefined();
    // The wire name of a collection is `item`; callers get the SDK's `items`.
    expect(plans).toEqual({ items: [{ id: 'p1', name: 'free' }], position: 'next' });
  });

  it('names errors by their exception type, as the SDK does', async () => {
    const { client } = fakeApiGateway({ status: 404, body: { message: 'Invalid API Key identifier specified' }, type: 'NotFoundException' });
    await expect(client.send(new DeleteApiKeyCommand({ apiKey: 'nope' }))).rejects.toMatchObject({
      name: 'NotFoundException',
      message: 'Invalid API Key identifier specified',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('retries throttling and server errors with backoff, but not client errors', async () => {
    const throttled = { status: 429, body: { message: 'Too Many Requests' }, type: 'TooManyRequestsException' };
    const { client, sent, sleep } = fakeApiGateway(throttled, { status: 503, body: {} }, { status: 202 });
    await client.send(new DeleteApiKeyCommand({ apiKey: 'k1' }));
    expect(sent).toHaveLength(3);
    expect(sleep).toHaveBeenCalledTimes(2);

    const conflict = fakeApiGateway({ status: 409, body: { message: 'exists' }, type: 'ConflictException' });
    await expect(conflict.client.send(new CreateUsagePlanKeyCommand({ usagePlanId: 'p', keyId: 'k', keyType: 'API_KEY' }))).rejects.toMatchObject({ name: 'ConflictException' });
    expect(conflict.sent).toHaveLength(1);
  });

  it('gives up after its attempts and surfaces the last error', async () => {
    const throttled = { status: 429, body: { message: 'Too Many Requests' }, type: 'TooManyRequestsException' };
    const { client, sent } = fakeApiGateway(...Array.from({ length: 10 }, () => throttled));
    await expect(client.send(new DeleteApiKeyCommand({ apiKey: 'k1' }))).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    expect(sent).toHaveLength(5);
  });
});
