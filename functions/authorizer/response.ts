import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { REFUSAL_CONTEXT_HEADERS, REFUSAL_MESSAGE } from '../../lib/definitions/gateway-refusals.ts';
import type { AuthorizedCaller, GatewayRefusal, PresentedCredentials } from '../core/auth/gateway-authorizer.ts';
import { bearerToken, normaliseHeaders } from '../http/headers.ts';

/** The credentials as the HTTP pipeline reads them, so both layers agree on what was presented. */
export function credentialsOf(event: Pick<APIGatewayRequestAuthorizerEvent, 'headers'>): PresentedCredentials {
  const headers = normaliseHeaders({ headers: event.headers ?? {} });
  const apiKey = headers['x-api-key'] || undefined;
  return apiKey ? { apiKey } : { token: bearerToken(headers) };
}

/**
 * `arn:…:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>` → every method of the
 * stage. Scope and role are the pipeline's to check per route; the policy only says "this caller
 * is who they claim", which also keeps it valid if API Gateway ever caches it across routes.
 */
export function stageArn(methodArn: string): string {
  const [api, stage] = methodArn.split('/');
  if (!api || !stage) throw new Error(`Unexpected methodArn '${methodArn}'`);
  return `${api}/${stage}/*/*`;
}

/**
 * The authorizer's answer. Context values must be strings, numbers or booleans (API Gateway drops
 * the response otherwise), so scopes travel space-separated as in an OAuth `scope`.
 */
export function allowResponse(methodArn: string, caller: AuthorizedCaller): APIGatewayAuthorizerResult {
  const { principal } = caller;
  return {
    principalId: principal.userId ?? principal.credentialId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: stageArn(methodArn) }],
    },
    context: {
      accountId: principal.accountId,
      userId: principal.userId ?? '',
      role: principal.role,
      scopes: principal.scopes.join(' '),
      authMethod: principal.authMethod,
      credentialId: principal.credentialId,
      plan: principal.plan,
    },
    ...(caller.usageKey ? { usageIdentifierKey: caller.usageKey } : {}),
  };
}

/**
 * A refused credential within its address's anonymous budget: Deny, with the rate-limit fields
 * in the context, which API Gateway's ACCESS_DENIED response maps to the 401's headers
 * (lib/definitions/gateway-refusals.ts). Every key is present (empty when the counter could not
 * be read), so the mapping never names a missing value.
 */
export function refusalResponse(methodArn: string, refusal: GatewayRefusal): APIGatewayAuthorizerResult {
  const context: Record<string, string> = { message: REFUSAL_MESSAGE };
  for (const [header, key] of Object.entries(REFUSAL_CONTEXT_HEADERS)) context[key] = refusal.headers[header] ?? '';
  return {
    principalId: 'anonymous',
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: stageArn(methodArn) }] },
    context,
  };
}
