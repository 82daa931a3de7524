import { ArnFormat, type CfnElement, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { LogGroupLogDestination, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { LIVE_UPDATE_EVENTS } from '../definitions/event-patterns.ts';
import { grantSecretRead } from '../secret-access.ts';
import type { StageConfig } from '../stage-config.ts';
import { grantTableAccess } from '../table-access.ts';
import { StepwiseFunction } from './stepwise-function.ts';

export interface LiveUpdatesProps {
  readonly config: StageConfig;
  /** Executions are read from it, and connections and subscriptions kept in it (with a TTL). */
  readonly table: ITable;
  readonly bus: IEventBus;
  /** `$connect` verifies access tokens against the public JWKS, like every API function. */
  readonly jwksSecret: ISecret;
}

/** What one WebSocket access-log line holds (no message bodies: they carry results). */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  connectionId: '$context.connectionId',
  eventType: '$context.eventType',
  routeKey: '$context.routeKey',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTime',
  status: '$context.status',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
};

/**
 * Live execution updates on AWS (FlowRunner's WebSocket API): an API Gateway WebSocket API whose
 * routes (`$connect` authenticates and may subscribe at once, `subscribe`, `$default`,
 * `$disconnect`) run one function over the table, and a notifier on an EventBridge rule over the
 * stage's bus that posts each run event and log line to the execution's subscribers.
 */
export class LiveUpdates extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  /** The routes' function: authentication, connection and subscription records. */
  readonly connections: StepwiseFunction;
  /** The rule's target: looks up subscribers and posts to their connections. */
  readonly notifier: StepwiseFunction;
  readonly rule: Rule;
  readonly accessLogs: LogGroup;
  readonly urlOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: LiveUpdatesProps) {
    super(scope, id);
    const { config, table, bus, jwksSecret } = props;

    this.connections = new StepwiseFunction(this, 'Connections', {
      config,
      entry: 'functions/live/handler.ts',
      description: `Stepwise ${config.stage}: live updates WebSocket routes ($connect, subscribe, $disconnect)`,
      environment: { TABLE_NAME: table.tableName, JWKS_SECRET_ARN: jwksSecret.secretArn },
    });
    // Sessions, API keys and executions by key; connection and subscription rows written and deleted.
    grantTableAccess(table, this.connections, 'read-write');
    grantSecretRead(jwksSecret, this.connections);

    const integration = new WebSocketLambdaIntegration('Routes', this.connections.function);
    this.api = new WebSocketApi(this, 'Api', {
      apiName: `${config.stackPrefix}-live`,
      description: `Stepwise ${config.stage} live execution updates (WebSocket)`,
      // `{"action": "subscribe", …}`; anything else reaches $default, which answers with an error message.
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: { integration },
      disconnectRouteOptions: { integration },
      defaultRouteOptions: { integration, returnResponse: true },
    });
    // Two-way: the function's answer (the execution's state now, or an error) goes back to the client.
    this.api.addRoute('subscribe', { integration, returnResponse: true });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: config.logRetention, removalPolicy: config.removalPolicy });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: config.stage.replace(/-/g, '_'),
      autoDeploy: true,
      throttle: { rateLimit: config.throttling.rateLimit, burstLimit: config.throttling.burstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)) },
    });

    this.notifier = new StepwiseFunction(this, 'Notifier', {
      config,
      entry: 'functions/live-notifier/handler.ts',
      description: `Stepwise ${config.stage}: posts run events and log lines to live-update subscribers`,
      environment: {
        // What its capabilities name (lib/definitions/capabilities.ts): the table and the endpoint; it verifies no credential.
        TABLE_NAME: table.tableName,
        LIVE_CALLBACK_URL: this.stage.callbackUrl,
      },
    });
    grantTableAccess(table, this.notifier, 'read-write');
    this.grantPosting(config);

    this.rule = new Rule(this, 'Rule', {
      eventBus: bus,
      description: `Stepwise ${config.stage}: run events and log lines to live-update subscribers`,
      eventPattern: { source: [...LIVE_UPDATE_EVENTS.source], detailType: [...(LIVE_UPDATE_EVENTS.detailType ?? [])] },
      // A live update minutes late is no longer live, and REST has the record: a few quick retries, no dead letters.
      targets: [new LambdaFunction(this.notifier.function, { retryAttempts: 2, maxEventAge: Duration.minutes(5) })],
    });

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The WebSocket $connect route authenticates inside its own function (Bearer header, X-API-Key, or for browsers a bearer.<token> subprotocol or ?token=, with the REST verifier and scope check) and refuses the handshake with 401/403/404; API Gateway allows authorizers on $connect only, so subscribe, $default and $disconnect act only on connections that passed it.',
    });

    this.urlOutput = new CfnOutput(this, 'Url', {
      description: 'Live updates WebSocket URL (wss://…/<stage>; ?token=…&execution_id=… or send {"action":"subscribe","execution_id":…})',
      value: this.stage.url,
    });
    // A plain, documented name (docs/api.md#live-updates) instead of one with a path hash.
    this.urlOutput.overrideLogicalId('LiveUrl');
  }

  /**
   * PostToConnection and DeleteConnection on this stage's connections only. Connection ids exist
   * only at run time, so the connection part of the ARN is a wildcard (acknowledged below).
   */
  private grantPosting(config: StageConfig): void {
    const stageName = config.stage.replace(/-/g, '_');
    const arn = (method: string) =>
      Stack.of(this).formatArn({ service: 'execute-api', resource: this.api.apiId, resourceName: `${stageName}/${method}/@connections/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const policy = new iam.Policy(this, 'ManageConnections', {
      statements: [new iam.PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [arn('POST'), arn('DELETE')] })],
    });
    this.notifier.attachPolicy(policy);
    for (const method of ['POST', 'DELETE']) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${Stack.of(this).getLogicalId(this.api.node.defaultChild as CfnElement)}>/${stageName}/${method}/@connections/*]`,
        reason:
          method === 'POST'
            ? 'The notifier posts each live update to the WebSocket connections watching the execution; connection ids are assigned by API Gateway when a client connects, so the @connections collection of this one API stage is the narrowest resource.'
            : 'After an execution’s final message the notifier closes connections opened for that execution (DeleteConnection); their ids exist only at run time, so the @connections collection of this API stage is the narrowest resource IAM can name.',
      });
    }
  }
}
