import { lazy } from '../lazy.ts';

/**
 * The AWS SDK clients, each loaded and built on first use: ESM imports run at cold start, and each
 * client module costs 100–300 ms to load, so a function pays only for the clients its requests use.
 * One set per platform instance (functions/root/aws.ts), with the retry settings each service needs.
 */
export function awsClients(region: string) {
  return {
    secretsManager: lazy(async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({ region })),
    // Adaptive retries pace CreateStateMachine (throttled near 1/s per account) and bursts of deletes.
    stepFunctions: lazy(async () => new (await import('@aws-sdk/client-sfn')).SFNClient({ region, maxAttempts: 8, retryMode: 'adaptive' })),
    stepFunctionsRuns: lazy(async () => new (await import('@aws-sdk/client-sfn')).SFNClient({ region, maxAttempts: 6, retryMode: 'adaptive' })),
    // CreateApiKey/DeleteApiKey are capped at 5 requests/s: adaptive retries pace bursts of sign-ups.
    apiGateway: lazy(async () => new (await import('@aws-sdk/client-api-gateway')).APIGatewayClient({ region, maxAttempts: 5, retryMode: 'adaptive' })),
    eventBridge: lazy(async () => new (await import('@aws-sdk/client-eventbridge')).EventBridgeClient({ region })),
    scheduler: lazy(async () => new (await import('@aws-sdk/client-scheduler')).SchedulerClient({ region, maxAttempts: 6, retryMode: 'adaptive' })),
    sqs: lazy(async () => new (await import('@aws-sdk/client-sqs')).SQSClient({ region, maxAttempts: 5 })),
    lambda: lazy(async () => new (await import('@aws-sdk/client-lambda')).LambdaClient({ region })),
    sesV2: lazy(async () => new (await import('@aws-sdk/client-sesv2')).SESv2Client({ region })),
    cloudWatchLogs: lazy(async () => new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient({ region })),
    /** The WebSocket stage's management endpoint (https://…/<stage>). */
    managementApi: (endpoint: string) => lazy(async () => new (await import('@aws-sdk/client-apigatewaymanagementapi')).ApiGatewayManagementApiClient({ region, endpoint })),
  };
}

export type AwsClients = ReturnType<typeof awsClients>;
