import { mkdtempSync, rmSync } from 'node:fs';
import { silentLogger } from '../../functions/core/logger.ts';
import { parseConfig } from '../../functions/root/config.ts';
import { localPlatform } from '../../functions/root/local.ts';
import { createStepwise } from '../../functions/root/stepwise.ts';
import { identityOf } from '../../functions/root/identity.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { ensureTable } from '../../functions/adapters/local/table-setup.ts';
import { operation, publicOperation } from '../../functions/http/operation.ts';
import { httpHandler, type HttpHandler } from '../../functions/http/pipeline.ts';
import { proxyEvent } from '../../test/support/proxy-event.ts';
import { fmt, percentile } from './stats.ts';

const event = (method: string, resource: string, headers: Record<string, string>) => proxyEvent(method, resource, { headers, requestContext: { requestId: 'bench', identity: { sourceIp: '127.0.0.1' } } as APIGatewayProxyEvent['requestContext'] });

const RUNS = 400;
const WARMUP = 30;


async function time(handler: HttpHandler, make: () => APIGatewayProxyEvent): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS + WARMUP; i++) {
    const started = performance.now();
    const res = await handler(make(), {} as Context);
    if (res.statusCode >= 300) throw new Error(`bench request failed: ${res.statusCode} ${res.body}`);
    if (i >= WARMUP) samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/**
 * What each credential type costs in the pipeline, against DynamoDB Local: the same no-op
 * operation behind a public route (the baseline), a session JWT (signature + session read), an API
 * key (key + account reads), an OAuth client token (signature + client read), and the rate-limit
 * counter on its own. Sequential requests in-process, so the numbers are the pipeline's, not HTTP's.
 */
export async function benchCredentials(dynamoEndpoint: string): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-bench-cred-'));
  const table = `bench-cred-${Date.now()}`;
  const client = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(client, table);
  client.destroy();
  const config = parseConfig({ TABLE_NAME: table, DYNAMODB_ENDPOINT: dynamoEndpoint, STEPWISE_DATA_DIR: dataDir, AWS_REGION: 'us-east-1', LOG_LEVEL: 'error', RATE_LIMIT_ANONYMOUS: '1000000', RATE_LIMIT_FREE: '1000000' });
  const c = identityOf(createStepwise(config, localPlatform(config, { logger: silentLogger, timeScale: 1 })));
  try {
    const username = `bench${Date.now()}`;
    await c.auth.register({ username, password: 'benchmark-password' });
    const session = await c.auth.login(username, 'benchmark-password', '127.0.0.1');
    const principal = await c.verifier.verifyAccessToken(session.access.token);
    const { secret: apiKey } = await c.apiKeys.create(principal, { name: 'bench', scopes: ['tasks:read'] });
    const { client: oauthClient, secret } = await c.oauth.oauth.registerClient(principal, { name: 'bench', redirectUris: [], scopes: ['tasks:read'], grantTypes: ['client_credentials'] });
    const oauthToken = (await c.oauth.oauth.token({ grant_type: 'client_credentials', client_id: oauthClient.id, client_secret: secret })).access_token;

    const noop = operation({}, async () => ({ status: 200, body: {} }));
    const open = publicOperation({}, async () => ({ status: 200, body: {} }));
    const ops = { register: open, login: open, refresh: open, logout: noop, me: noop };
    const plain = httpHandler('auth', ops, { verifier: () => c.verifier, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    const limited = httpHandler('auth', ops, { verifier: () => c.verifier, rateLimiter: c.rateLimiter, logger: { debug() {}, info() {}, warn() {}, error() {} } });

    const baseline = await time(plain, () => event('POST', '/api/v1/auth/login', {}));
    const rows: [string, { p50: number; p99: number }][] = [
      ['public route, no credential (baseline)', baseline],
      ['session JWT (ES256 verify + session GetItem)', await time(plain, () => event('GET', '/api/v1/me', { Authorization: `Bearer ${session.access.token}` }))],
      ['API key (key GetItem + account GetItem, in parallel)', await time(plain, () => event('GET', '/api/v1/me', { 'X-API-Key': apiKey }))],
      ['OAuth client token (ES256 verify + client GetItem)', await time(plain, () => event('GET', '/api/v1/me', { Authorization: `Bearer ${oauthToken}` }))],
      ['public route + rate-limit counter (one UpdateItem)', await time(limited, () => event('POST', '/api/v1/auth/login', { 'X-Forwarded-For': '127.0.0.1' }))],
    ];
    const lines = rows.map(([name, r]) => `| ${name} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.p50 - baseline.p50, 2)} |`);
    return [
      '## What each credential adds',
      '',
      `The same no-op operation through the real pipeline in-process (${RUNS} sequential requests after ${WARMUP} warm-up, DynamoDB Local), so the difference to the baseline is what authentication or rate limiting costs per request. The rate limiter makes one UpdateItem; in production it runs alongside authentication's read.`,
      '',
      '| path | p50 ms | p99 ms | added p50 ms |',
      '|---|---:|---:|---:|',
      ...lines,
      '',
    ].join('\n');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
