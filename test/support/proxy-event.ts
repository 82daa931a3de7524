import type { APIGatewayProxyEvent } from 'aws-lambda';

/** An API Gateway REST proxy event for `method resource`, as the local server and Lambda build it. */
export function proxyEvent(method: string, resource: string, init: Partial<APIGatewayProxyEvent> & { ip?: string } = {}): APIGatewayProxyEvent {
  const { ip, ...rest } = init;
  return {
    httpMethod: method,
    resource,
    path: resource,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-123', ...(ip ? { identity: { sourceIp: ip } } : {}) } as APIGatewayProxyEvent['requestContext'],
    ...rest,
  };
}
