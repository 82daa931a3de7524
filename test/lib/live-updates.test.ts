import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LIVE_UPDATE_EVENTS, LIVE_UPDATE_EVENT_TYPES } from '../../lib/definitions/event-patterns.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { createStepwiseStacks, type StepwiseStacks } from '../../lib/stepwise.ts';
import { actionsOf, allActions, logicalId, only, resource, resources, skipBuiltinValidation, statementsForRole, type Statement } from './helpers.ts';

describe('live updates (lib/constructs/live-updates.ts)', () => {
  let stacks: StepwiseStacks;
  let events: Template;

  beforeAll(() => {
    skipBuiltinValidation();
    // Bundling skipped: only templates matter here.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    stacks = createStepwiseStacks(app, stageConfig('prod'));
    events = Template.fromStack(stacks.events);
  }, 120_000);
  afterAll(() => vi.unstubAllEnvs());

  const live = () => stacks.events.live;
  const envOf = (id: string) => (resource(events, 'AWS::Lambda::Function', id).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  const routes = () => Object.values(resources(events, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
  const onJwks = (statements: Statement[]) => statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));

  it('is a WebSocket API routed on `action`: $connect, $disconnect, subscribe and $default, all to the routes function', () => {
    expect(only(events, 'AWS::ApiGatewayV2::Api').Properties).toMatchObject({ Name: 'Stepwise-prod-live', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' });
    expect(routes().map((r) => r.RouteKey).toSorted()).toEqual(['$connect', '$default', '$disconnect', 'subscribe']);
    const integrations = Object.values(resources(events, 'AWS::ApiGatewayV2::Integration'));
    expect(integrations).toHaveLength(1);
    expect(JSON.stringify(integrations[0]!.Properties.IntegrationUri)).toContain(logicalId(live().connections.function));
  });

  it('answers subscribe and $default messages back to the client (two-way routes); $connect and $disconnect have no reply', () => {
    const responses = Object.values(resources(events, 'AWS::ApiGatewayV2::RouteResponse')).map((r) => JSON.stringify(r.Properties.RouteId));
    const idOf = (key: string) => Object.entries(resources(events, 'AWS::ApiGatewayV2::Route')).find(([, r]) => r.Properties.RouteKey === key)![0];
    expect(responses.toSorted()).toEqual([JSON.stringify({ Ref: idOf('$default') }), JSON.stringify({ Ref: idOf('subscribe') })].toSorted());
  });

  it('logs every connection event to its own access log (no message bodies) and throttles the stage', () => {
    const stage = only(events, 'AWS::ApiGatewayV2::Stage').Properties;
    expect(stage).toMatchObject({ StageName: 'prod', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 } });
    const settings = stage.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [logicalId(live().accessLogs), 'Arn'] });
    expect(Object.keys(JSON.parse(settings.Format) as object)).toEqual(expect.arrayContaining(['requestId', 'connectionId', 'eventType', 'routeKey', 'status', 'ip']));
    expect(settings.Format).not.toMatch(/body/i);
    // That log needs the account's API Gateway CloudWatch role, which the workflow stack sets up before it.
    expect(stacks.events.dependencies).toContain(stacks.workflow);
    expect(Object.keys(Template.fromStack(stacks.workflow).findResources('AWS::ApiGateway::Account'))).toHaveLength(1);
  });

  it('lets the routes function verify tokens (JWKS) and keep connections in the table, but push to nobody', () => {
    const fn = logicalId(live().connections.function);
    expect(envOf(fn)).toMatchObject({ TABLE_NAME: expect.anything(), JWKS_SECRET_ARN: expect.anything() });
    expect(envOf(fn)).not.toHaveProperty('LIVE_CALLBACK_URL');
    const statements = statementsForRole(events, logicalId(live().connections.role));
    expect(onJwks(statements).flatMap(actionsOf).toSorted()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(allActions(statements).filter((a) => a.startsWith('execute-api:'))).toEqual([]);
    expect(allActions(statements)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:DeleteItem']));
    expect(allActions(statements)).not.toContain('dynamodb:Scan');
  });

  it('gives the notifier the stage’s management endpoint and ManageConnections on this stage’s connections only, and no secrets', () => {
    const fn = logicalId(live().notifier.function);
    const apiId = logicalId(live().api);
    expect(JSON.stringify(envOf(fn).LIVE_CALLBACK_URL)).toMatch(new RegExp(`"https://",\\{"Ref":"${apiId}"\\},".execute-api.".*"/prod"`));
    const statements = statementsForRole(events, logicalId(live().notifier.role));
    expect(onJwks(statements)).toEqual([]);
    const manage = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('execute-api:')));
    expect(manage).toHaveLength(1);
    expect(actionsOf(manage[0]!)).toEqual(['execute-api:ManageConnections']);
    const arns = JSON.stringify(manage[0]!.Resource);
    expect(arns).toContain(`{"Ref":"${apiId}"},"/prod/POST/@connections/*"`);
    expect(arns).toContain(`{"Ref":"${apiId}"},"/prod/DELETE/@connections/*"`);
    expect((manage[0]!.Resource as unknown[]).length).toBe(2);
  });

  it('feeds the notifier the run events and log lines of the stage bus (the shared pattern), briefly retried', () => {
    const rule = resource(events, 'AWS::Events::Rule', logicalId(live().rule)).Properties;
    expect(rule.EventPattern).toEqual({ source: [...LIVE_UPDATE_EVENTS.source], 'detail-type': [...LIVE_UPDATE_EVENT_TYPES] });
    expect(rule.EventPattern).toEqual({ source: ['stepwise', 'stepwise.internal'], 'detail-type': expect.arrayContaining(['workflow.started', 'task.completed', 'execution.log']) });
    expect(JSON.stringify(rule.EventBusName)).toContain('Fn::ImportValue');
    const [target] = rule.Targets as { Arn: unknown; RetryPolicy: unknown }[];
    expect(target!.Arn).toEqual({ 'Fn::GetAtt': [logicalId(live().notifier.function), 'Arn'] });
    expect(target!.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 2 });
  });

  it('outputs the wss:// URL clients connect to', () => {
    const url = events.findOutputs('LiveUrl').LiveUrl as { Value: unknown };
    expect(JSON.stringify(url.Value)).toContain('wss://');
  });
});
