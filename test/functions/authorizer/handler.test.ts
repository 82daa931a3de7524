import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthorizer } from '../../../functions/authorizer/authorize.ts';
import { unauthorized } from '../../../functions/core/errors.ts';
import { silentLogger } from '../../../functions/core/logger.ts';
import { ROLE_SCOPES } from '../../../functions/core/principal.ts';
import { principal } from '../../support/fakes.ts';

const authorize = vi.fn();
const refuse = vi.fn();
// The handler over a fake gateway authorizer (what functions/root/handlers/authorizer.ts binds to the Stepwise's).
const handler = createAuthorizer({ authorizer: () => ({ authorize, refuse }), logger: silentLogger });
const { allowResponse, credentialsOf, stageArn } = await import('../../../functions/authorizer/response.ts');

/** The error a promise rejects with (matchers aside: the handler's error carries a `cause`). */
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as Error);

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/api/v1/tasks/task_1';

function event(headers: Record<string, string>): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    resource: '/api/v1/tasks/{id}',
    path: '/api/v1/tasks/task_1',
    httpMethod: 'GET',
    headers,
    multiValueHeaders: null,
    pathParameters: { id: 'task_1' },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

const caller = {
  principal: principal({ role: 'admin', scopes: ROLE_SCOPES.admin, plan: 'enterprise' }),
  usageKey: 'usage-key-value',
};

describe('authorizer handler', () => {
  beforeEach(() => {
    // Braces matter: a function returned from beforeEach is run as its teardown, and the mock is one.
    authorize.mockReset();
    refuse.mockReset();
  });

  it('allows the whole stage, names the principal, and keys the usage plan by the account', async () => {
    authorize.mockResolvedValue(caller);
    const result = await handler(event({ Authorization: 'Bearer tok' }));
    expect(authorize).toHaveBeenCalledWith({ token: 'tok' });
    expect(result).toEqual({
      principalId: caller.principal.userId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*' }],
      },
      context: {
        accountId: caller.principal.accountId,
        userId: caller.principal.userId,
        role: 'admin',
        scopes: ROLE_SCOPES.admin.join(' '),
        authMethod: 'password',
        credentialId: caller.principal.credentialId,
        plan: 'enterprise',
      },
      usageIdentifierKey: 'usage-key-value',
    });
    // API Gateway drops a response whose context holds anything but strings, numbers or booleans.
    for (const value of Object.values(result.context ?? {})) expect(['string', 'number', 'boolean']).toContain(typeof value);
  });

  it('issue 13 #9 (Medium): charges a rejected credential to its address and denies it with the rate-limit fields (the gateway’s 401)', async () => {
    authorize.mockRejectedValue(unauthorized('The session has ended; log in again'));
    const headers = { 'X-RateLimit-Limit': '20', 'X-RateLimit-Remaining': '19', 'X-RateLimit-Reset': '1767225660', 'RateLimit-Policy': '"anonymous";q=20;w=60', RateLimit: '"anonymous";r=19;t=42' };
    refuse.mockResolvedValue({ limited: false, headers });
    const result = await handler({ ...event({ authorization: 'tok' }), requestContext: { identity: { sourceIp: '203.0.113.9' } } as APIGatewayRequestAuthorizerEvent['requestContext'] });
    expect(refuse).toHaveBeenCalledWith('203.0.113.9');
    expect(result).toEqual({
      principalId: 'anonymous',
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*' }] },
      context: { message: 'Unauthorized', rateLimitLimit: '20', rateLimitRemaining: '19', rateLimitReset: '1767225660', rateLimitPolicy: '"anonymous";q=20;w=60', rateLimitState: '"anonymous";r=19;t=42' },
    });
  });

  it('issue 13 #9 (Medium): over the anonymous limit, answers with the one error the stage turns into 429', async () => {
    authorize.mockRejectedValue(unauthorized('The API key is invalid, expired or revoked'));
    refuse.mockResolvedValue({ limited: true, headers: {} });
    const error = await rejection(handler(event({ 'x-api-key': 'sk_bad' })));
    expect(error?.message).toBe('Unauthorized');
    expect(error?.cause).toMatchObject({ code: 'unauthorized' });
  });

  it('lets other failures through, so API Gateway answers 500 instead of blaming the credential', async () => {
    authorize.mockRejectedValue(new Error('ProvisionedThroughputExceededException'));
    expect((await rejection(handler(event({ authorization: 'tok' }))))?.message).toBe('ProvisionedThroughputExceededException');
  });

  it('omits the usage key for an account without one', async () => {
    authorize.mockResolvedValue({ ...caller, usageKey: undefined });
    expect(await handler(event({ 'X-API-Key': 'sk_1' }))).not.toHaveProperty('usageIdentifierKey');
  });
});

describe('authorizer response', () => {
  it('reads credentials like the pipeline: X-API-Key first, then a Bearer or bare token, any header case', () => {
    expect(credentialsOf({ headers: { 'x-api-key': 'sk_1', Authorization: 'Bearer t' } })).toEqual({ apiKey: 'sk_1' });
    expect(credentialsOf({ headers: { AUTHORIZATION: 'bearer   t1 ' } })).toEqual({ token: 't1' });
    expect(credentialsOf({ headers: { Authorization: 't2' } })).toEqual({ token: 't2' });
    expect(credentialsOf({ headers: null })).toEqual({ token: undefined });
  });

  it('widens a method ARN to every method and path of its stage', () => {
    expect(stageArn('arn:aws:execute-api:us-east-1:1:api/dev/POST/api/v1/tasks')).toBe('arn:aws:execute-api:us-east-1:1:api/dev/*/*');
    expect(stageArn('arn:aws:execute-api:us-east-1:1:api/dev/GET/')).toBe('arn:aws:execute-api:us-east-1:1:api/dev/*/*');
    expect(() => stageArn('arn:aws:execute-api:us-east-1:1:api')).toThrow(/methodArn/);
  });

  it('uses the credential id as principal when no user acts (client credentials)', () => {
    const result = allowResponse(METHOD_ARN, { principal: principal({ userId: undefined, authMethod: 'oauth_client', credentialId: 'cli_1' }), usageKey: 'k' });
    expect(result.principalId).toBe('cli_1');
    expect(result.context?.userId).toBe('');
  });
});
