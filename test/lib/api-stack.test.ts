import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { FUNCTION_ACCESS } from '../../lib/api-stack.ts';
import { DOCS_ASSETS, DOCS_ASSETS_DIR } from '../../lib/definitions/docs-assets.ts';
import { RESOURCES, ROUTES, type Resource as ApiResource } from '../../lib/definitions/routes.ts';
import { TABLE } from '../../lib/definitions/table.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { createStepwiseStacks, type StepwiseStacks } from '../../lib/stepwise.ts';
import { ITEM_ACTIONS } from '../../lib/table-access.ts';
import {
  actionsOf,
  allActions,
  apiMethods,
  throughParameters,
  logicalId,
  only,
  resource,
  resources,
  skipBuiltinValidation,
  statementsForRole,
  statementsOn,
  type Json,
  type Statement,
} from './helpers.ts';

const config = stageConfig('dev');
let stacks: StepwiseStacks;
let api: Template;

// One synthesis for the whole file: bundling is real esbuild.
beforeAll(() => {
  skipBuiltinValidation();
  stacks = createStepwiseStacks(new App(), config);
  api = Template.fromStack(stacks.api);
}, 120_000);
afterAll(() => vi.unstubAllEnvs());

const fnId = (r: ApiResource) => logicalId(stacks.api.functions[r].function);
const roleId = (r: ApiResource) => logicalId(stacks.api.functions[r].role);
const statementsOf = (r: ApiResource) => statementsForRole(api, roleId(r));
const tableId = () => logicalId(stacks.data.table);
const signingSecretId = () => logicalId(stacks.data.signingKeySecret);
const jwksSecretId = () => logicalId(stacks.data.jwksSecret);
const kmsKeyId = () => logicalId(stacks.data.signingKeys.encryptionKey);

/** Every method by route, its parameters resolved to what the API stack passes (function ARNs, the authorizer id). */
const methodsByRoute = (): Map<string, Json> => {
  const out = new Map<string, Json>();
  for (const [key, props] of apiMethods(stacks.api)) {
    const route = ROUTES.find((r) => `${r.method} ${r.path}` === key);
    const nested = route ? stacks.api.routeStacks[route.resource] : stacks.api.pathsStack;
    out.set(key, (key.startsWith('OPTIONS ') && key !== 'OPTIONS /' ? throughParameters(props, stacks.api, stacks.api.pathsStack) : route ? throughParameters(props, stacks.api, nested) : props) as Json);
  }
  return out;
};

describe('routes', () => {
  it('wires every ROUTES row to its resource function through a Lambda proxy integration', () => {
    const methods = methodsByRoute();
    for (const route of ROUTES) {
      const method = methods.get(`${route.method} ${route.path}`);
      expect(method, `${route.method} ${route.path}`).toBeDefined();
      const integration = (method ?? {}).Integration as Json;
      expect(integration.Type).toBe('AWS_PROXY');
      expect(integration.IntegrationHttpMethod).toBe('POST');
      const uri = JSON.stringify(integration.Uri);
      expect(uri, `${route.method} ${route.path} -> ${route.resource}`).toContain(`"${fnId(route.resource)}"`);
      for (const other of RESOURCES.filter((r) => r !== route.resource)) {
        expect(uri).not.toContain(`"${fnId(other)}"`);
      }
      expect(method?.OperationName).toBe(route.operation);
    }
  });

  it('exposes nothing but the route table (plus CORS preflight)', () => {
    const routed = [...methodsByRoute().keys()].filter((k) => !k.startsWith('OPTIONS ')).toSorted();
    expect(routed).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).toSorted());
  });

  it('answers CORS preflight on every routed path with the stage origins', () => {
    const methods = methodsByRoute();
    for (const path of new Set(ROUTES.map((r) => r.path))) {
      const preflight = methods.get(`OPTIONS ${path}`);
      expect(preflight, `OPTIONS ${path}`).toBeDefined();
      const integration = JSON.stringify(preflight?.Integration);
      for (const origin of config.corsAllowOrigins) expect(integration).toContain(origin);
      expect(integration).toContain('Authorization');
      expect(integration).toContain('Idempotency-Key');
    }
  });

  it('lets only API Gateway invoke the functions: one permission per function, for this API’s stage only', () => {
    const permissions = Object.values(resources(api, 'AWS::Lambda::Permission'));
    // One per route function plus the authorizer's: not one per method (docs/deploy.md#resource-counts).
    expect(permissions).toHaveLength(RESOURCES.length + 1);
    const apiId = logicalId(stacks.api.api);
    for (const r of RESOURCES) {
      const own = permissions.filter((p) => JSON.stringify(p.Properties.FunctionName).includes(`"${fnId(r)}"`));
      expect(own, r).toHaveLength(1);
      expect(own[0]!.Properties.Principal).toBe('apigateway.amazonaws.com');
      const source = JSON.stringify(own[0]!.Properties.SourceArn);
      expect(source).toContain(`{"Ref":"${apiId}"}`);
      // `<api>/<stage>/*/*`: the stage's methods, not the console's test-invoke stage.
      expect(source).toContain('"/",{"Ref":"');
      expect(source).toMatch(/"\/\*\/\*"\]\]\}$/);
      expect(source).not.toContain('test-invoke-stage');
    }
  });

  it('keeps the path resources and preflights in one nested stack and each group’s methods in its own', () => {
    const paths = Template.fromStack(stacks.api.pathsStack);
    expect(Object.keys(resources(paths, 'AWS::ApiGateway::Resource')).length).toBeGreaterThan(0);
    expect(Object.values(resources(paths, 'AWS::ApiGateway::Method')).every((m) => m.Properties.HttpMethod === 'OPTIONS')).toBe(true);
    for (const r of RESOURCES) {
      const group = Template.fromStack(stacks.api.routeStacks[r]);
      const methods = Object.values(resources(group, 'AWS::ApiGateway::Method'));
      expect(methods.map((m) => m.Properties.OperationName).toSorted()).toEqual(ROUTES.filter((x) => x.resource === r).map((x) => x.operation).toSorted());
      expect(Object.keys(group.toJSON().Resources as object).every((id) => /^(GET|POST|PUT|PATCH|DELETE)_|^CDKMetadata$/.test(id) || methods.length > 0)).toBe(true);
    }
    // The parent holds no path resources and only the root's preflight.
    expect(resources(api, 'AWS::ApiGateway::Resource')).toEqual({});
    expect(Object.values(resources(api, 'AWS::ApiGateway::Method')).map((m) => m.Properties.HttpMethod)).toEqual(['OPTIONS']);
  });

  it('deploys the stage only after every nested stack of methods and paths exists', () => {
    const [deployment] = Object.values(resources(api, 'AWS::ApiGateway::Deployment'));
    const nested = Object.keys(resources(api, 'AWS::CloudFormation::Stack'));
    expect(nested).toHaveLength(RESOURCES.length + 1);
    expect(deployment!.DependsOn).toEqual(expect.arrayContaining(nested));
  });
});

describe('least privilege', () => {
  it('auth reads and writes items, reads both secrets, and decrypts only through Secrets Manager', () => {
    const statements = statementsOf('auth');
    expect(allActions(statementsOn(statements, tableId()))).toEqual(expect.arrayContaining([...ITEM_ACTIONS]));
    expect(allActions(statementsOn(statements, signingSecretId()))).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(allActions(statementsOn(statements, jwksSecretId()))).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    const kms = statementsOn(statements, kmsKeyId());
    expect(allActions(kms)).toEqual(['kms:Decrypt']);
    expect(JSON.stringify(kms[0]?.Condition)).toContain('secretsmanager.');
  });

  it('tasks reads and writes items and verifies tokens, but cannot read the signing key', () => {
    const statements = statementsOf('tasks');
    expect(allActions(statementsOn(statements, tableId()))).toEqual(expect.arrayContaining([...ITEM_ACTIONS]));
    expect(allActions(statementsOn(statements, jwksSecretId()))).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(statementsOn(statements, signingSecretId())).toEqual([]);
    expect(statementsOn(statements, kmsKeyId())).toEqual([]);
  });

  it('system can only describe the table: no item access and no secrets', () => {
    const statements = statementsOf('system');
    expect(allActions(statementsOn(statements, tableId()))).toEqual(['dynamodb:DescribeTable']);
    expect(allActions(statements).filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:DescribeTable']);
    expect(allActions(statements).filter((a) => a.startsWith('secretsmanager:') || a.startsWith('kms:'))).toEqual([]);
  });

  const indexStatements = (r: ApiResource) => statementsOf(r).filter((s) => JSON.stringify(s.Resource).includes('/index/'));

  it('lets read-write functions query each GSI by name from the table definition, never /index/*', () => {
    const readWrite = RESOURCES.filter((r) => FUNCTION_ACCESS[r].table === 'read-write');
    expect(readWrite).toEqual(expect.arrayContaining(['auth', 'tasks', 'users', 'accounts', 'api-keys', 'oauth', 'workflows', 'executions', 'chat', 'insight']));
    for (const r of readWrite) {
      expect(allActions(indexStatements(r))).toEqual(['dynamodb:Query']);
      const indexes = JSON.stringify(indexStatements(r).map((s) => s.Resource));
      for (const gsi of TABLE.globalSecondaryIndexes) expect(indexes).toContain(`/index/${gsi.indexName}"`);
      expect(indexes).not.toContain('/index/*');
    }
    expect(indexStatements('system')).toEqual([]);
  });

  it('never grants Scan: lists use the GSIs', () => {
    for (const r of RESOURCES) expect(allActions(statementsOf(r)), r).not.toContain('dynamodb:Scan');
  });

  it('has no wildcard resource outside X-Ray writes, the workflows function’s log delivery and the approval token calls', () => {
    for (const [id, policy] of Object.entries(resources(api, 'AWS::IAM::Policy'))) {
      const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      const wildcard = statements.filter((s) => JSON.stringify(s.Resource) === '"*"');
      expect(wildcard.length === 0 || /XRayWrite|StateMachines|AccountSecrets|ExecutionsFunctionApprovalDecisions/.test(id), id).toBe(true);
      const allowed = /StateMachines/.test(id)
        ? /^logs:(Create|Get|Update|Delete|List)LogDeliver(y|ies)$|^logs:(PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$/
        : /AccountSecrets/.test(id)
          ? /^secretsmanager:ListSecrets$/
          : /ApprovalDecisions/.test(id)
            ? /^states:SendTask(Success|Failure)$/
            : /^xray:Put/;
      expect(wildcard.flatMap(actionsOf).filter((a) => !allowed.test(a)), id).toEqual([]);
    }
  });

  it('lets only the accounts function write account secrets, under the stage path, with the stage key, never reading them', () => {
    const secretPolicies = Object.entries(resources(api, 'AWS::IAM::Policy')).filter(([, p]) =>
      (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some((s) => actionsOf(s).includes('secretsmanager:CreateSecret')),
    );
    expect(secretPolicies.map(([id]) => id)).toEqual([expect.stringMatching(/^AccountsFunctionAccountSecrets/)]);
    const statements = (secretPolicies[0]![1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements.flatMap(actionsOf)).not.toContain('secretsmanager:GetSecretValue');
    const create = statements.find((s) => actionsOf(s).includes('secretsmanager:CreateSecret'))!;
    expect(JSON.stringify(create.Resource)).toContain('secret:stepwise/dev/*');
    expect(JSON.stringify(create.Condition)).toContain('secretsmanager:KmsKeyArn');
  });

  it('lets only the workflows function manage this stage’s state machines and pass only the machine role', () => {
    const statesPolicies = Object.entries(resources(api, 'AWS::IAM::Policy')).filter(([, p]) =>
      (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some((s) => actionsOf(s).some((a) => a.startsWith('states:'))),
    );
    expect(statesPolicies.map(([id]) => id).toSorted()).toEqual([
      expect.stringMatching(/^AccountsFunctionAccountMachines/),
      // "run the nightly export" in the chat starts a run.
      expect.stringMatching(/^ChatFunctionStateMachineRuns/),
      // Deciding an approval completes its task token: SendTaskSuccess/SendTaskFailure and nothing else.
      expect.stringMatching(/^ExecutionsFunctionApprovalDecisions/),
      expect.stringMatching(/^ExecutionsFunctionStateMachineRuns/),
      // Webhook triggers start runs (POST /hooks/{workflow_id}/{token}).
      expect.stringMatching(/^TriggersFunctionStateMachineRuns/),
      expect.stringMatching(/^WorkflowsFunctionStateMachineRuns/),
      expect.stringMatching(/^WorkflowsFunctionStateMachines[0-9A-F]{8}$/),
    ]);
    // Runs: start on this stage's machines and aliases; stop, redrive and describe their executions; nothing else.
    for (const [id, policy] of statesPolicies.filter(([name]) => name.includes('StateMachineRuns'))) {
      const runStatements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      expect(runStatements.flatMap(actionsOf).toSorted(), id).toEqual(['states:DescribeExecution', 'states:RedriveExecution', 'states:StartExecution', 'states:StopExecution']);
      expect(JSON.stringify(runStatements.find((s) => actionsOf(s).includes('states:StartExecution'))!.Resource)).toContain('stateMachine:stepwise-dev-wf_*:*');
      expect(JSON.stringify(runStatements.find((s) => actionsOf(s).includes('states:StopExecution'))!.Resource)).toContain('execution:stepwise-dev-wf_*:*');
    }
    const decisions = statesPolicies.find(([id]) => id.startsWith('ExecutionsFunctionApprovalDecisions'))!;
    expect((decisions[1].Properties.PolicyDocument as { Statement: Statement[] }).Statement.flatMap(actionsOf).toSorted()).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess']);
    // Account deletion may only delete machines.
    const accountMachines = statesPolicies.find(([id]) => id.startsWith('AccountsFunctionAccountMachines'))!;
    expect((accountMachines[1].Properties.PolicyDocument as { Statement: Statement[] }).Statement.flatMap(actionsOf)).toEqual(['states:DeleteStateMachine']);
    const statements = (statesPolicies.find(([id]) => /^WorkflowsFunctionStateMachines[0-9A-F]{8}$/.test(id))![1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    const pass = statements.find((s) => actionsOf(s).includes('iam:PassRole'))!;
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } });
    expect(JSON.stringify(pass.Resource)).toContain('MachineRole');
    const manage = statements.find((s) => actionsOf(s).includes('states:CreateStateMachine'))!;
    expect(JSON.stringify(manage.Resource)).toContain('stateMachine:stepwise-dev-wf_*');
    // CreateStateMachine/UpdateStateMachine with publish: true are authorised as PublishStateMachineVersion too.
    expect(actionsOf(manage)).toEqual(expect.arrayContaining(['states:PublishStateMachineVersion', 'states:ListStateMachineVersions', 'states:DeleteStateMachineVersion', 'states:ListExecutions']));
  });

  it('lets only the webhooks function enqueue on the webhook delivery queue (SendMessage, by its fixed name) and tells it the URL', () => {
    const sqsUsers = RESOURCES.filter((r) => statementsOf(r).some((st) => actionsOf(st).some((x) => x.startsWith('sqs:'))));
    expect(sqsUsers).toEqual(['webhooks']);
    const [send] = statementsOf('webhooks').filter((st) => actionsOf(st).some((x) => x.startsWith('sqs:')));
    expect(actionsOf(send!)).toEqual(['sqs:SendMessage']);
    expect(JSON.stringify(send!.Resource)).toContain(':stepwise-dev-webhook-deliveries');
    const env = (resource(api, 'AWS::Lambda::Function', fnId('webhooks')).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(env.WEBHOOK_QUEUE_URL)).toContain('/stepwise-dev-webhook-deliveries');
    // The same name the events stack gives the queue.
    expect(JSON.stringify(Template.fromStack(stacks.events).toJSON())).toContain('"QueueName":"stepwise-dev-webhook-deliveries"');
  });

  it('gives every function its own role with no managed policies', () => {
    for (const r of RESOURCES) {
      expect(resource(api, 'AWS::IAM::Role', roleId(r)).Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('environment', () => {
  function variables(r: ApiResource): Record<string, unknown> {
    return (resource(api, 'AWS::Lambda::Function', fnId(r)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  }

  it('gives every API function the common variables', () => {
    for (const r of RESOURCES) {
      const env = variables(r);
      expect(env).toMatchObject({
        STEPWISE_MODE: 'aws',
        STEPWISE_STAGE: 'dev',
        APP_VERSION: packageJson.version,
        LOG_LEVEL: config.logLevel,
        RATE_LIMIT_FREE: String(config.rateLimits.free),
        RATE_LIMIT_ENTERPRISE: String(config.rateLimits.enterprise),
        RATE_LIMIT_ANONYMOUS: String(config.rateLimits.anonymous),
        RATE_LIMIT_WINDOW_SECONDS: String(config.rateLimits.windowSeconds),
        RATE_LIMIT_ACCOUNT_FREE: String(config.rateLimits.account.free),
        RATE_LIMIT_ACCOUNT_ENTERPRISE: String(config.rateLimits.account.enterprise),
      });
      expect(JSON.stringify(env.TABLE_NAME)).toContain(tableId());
      expect(JSON.stringify(env.JWKS_SECRET_ARN)).toContain(jwksSecretId());
    }
  });

  it('gives SIGNING_KEY_SECRET_ARN to auth only', () => {
    expect(JSON.stringify(variables('auth').SIGNING_KEY_SECRET_ARN)).toContain(signingSecretId());
    expect(variables('tasks')).not.toHaveProperty('SIGNING_KEY_SECRET_ARN');
    expect(variables('system')).not.toHaveProperty('SIGNING_KEY_SECRET_ARN');
  });

  it('never bakes a secret value into the template', () => {
    const json = JSON.stringify(api.toJSON());
    expect(json).not.toMatch(/"d"\s*:/);
    expect(json).not.toContain('privateJwk');
  });
});

describe('functions', () => {
  it('run Node 22 on arm64 with active tracing, logging to their own retained-per-stage log group', () => {
    for (const r of RESOURCES) {
      const fn = resource(api, 'AWS::Lambda::Function', fnId(r));
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        MemorySize: config.lambda.memorySize,
        Timeout: config.lambda.timeout.toSeconds(),
      });
      const logGroupRef = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logGroupRef).toBe(logicalId(stacks.api.functions[r].logGroup));
      expect(resource(api, 'AWS::Logs::LogGroup', logGroupRef).Properties.RetentionInDays).toBe(config.logRetention);
    }
  });
});

describe('stage', () => {
  it('writes JSON access logs to a log group with the stage retention', () => {
    const setting = only(api, 'AWS::ApiGateway::Stage').Properties.AccessLogSetting as { DestinationArn: unknown; Format: string };
    const logGroupId = (setting.DestinationArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(resource(api, 'AWS::Logs::LogGroup', logGroupId).Properties.RetentionInDays).toBe(config.logRetention);
    const fields = JSON.parse(setting.Format) as Record<string, string>;
    expect(fields).toMatchObject({ requestId: '$context.requestId', status: '$context.status', ip: '$context.identity.sourceIp' });
  });

  it('traces, logs errors without request bodies, and throttles every method by default', () => {
    expect(only(api, 'AWS::ApiGateway::Stage').Properties).toMatchObject({
      StageName: 'dev',
      TracingEnabled: true,
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          MetricsEnabled: true,
          ThrottlingRateLimit: config.throttling.rateLimit,
          ThrottlingBurstLimit: config.throttling.burstLimit,
        },
      ],
    });
  });

  it("answers gateway errors (throttling, unknown routes) in the API's error shape", () => {
    const responses = Object.values(resources(api, 'AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties);
    const byType = new Map(responses.map((r) => [r.ResponseType, r]));
    const body = (type: string) => {
      const templates = (byType.get(type) ?? {}).ResponseTemplates as Record<string, string>;
      const template = templates['application/json'] ?? '';
      // Substitute what API Gateway would, then the body must be the documented shape.
      return JSON.parse(template.replace('$context.error.messageString', '"Too Many Requests"').replace('$context.requestId', 'req-1')) as Json;
    };
    expect(byType.get('THROTTLED')?.StatusCode).toBe('429');
    expect(body('THROTTLED')).toEqual({ error: { code: 'rate_limit_exceeded', message: 'Too Many Requests', request_id: 'req-1', retry_after: 1 } });
    expect(byType.get('MISSING_AUTHENTICATION_TOKEN')?.StatusCode).toBe('404');
    expect(body('MISSING_AUTHENTICATION_TOKEN')).toMatchObject({ error: { code: 'not_found' } });
    expect(body('DEFAULT_5XX')).toMatchObject({ error: { code: 'internal_error' } });
  });

  it('exports the API URL under the stage prefix', () => {
    expect(api.findOutputs('ApiUrl')).toMatchObject({ ApiUrl: { Export: { Name: 'Stepwise-dev-ApiUrl' } } });
    expect(Object.keys(api.findOutputs('*'))).toEqual(['ApiUrl']);
    expect(stacks.api.stackName).toBe('Stepwise-dev-Api');
    expect(stacks.data.stackName).toBe('Stepwise-dev-Data');
  });
});

describe('gateway authorizer and usage plans', () => {
  const authorizerFnId = () => logicalId(stacks.api.authorizerFunction.function);
  const authorizerId = () => logicalId(stacks.api.authorizer);
  const isPublic = (key: string) => ROUTES.some((r) => r.scope === null && `${r.method} ${r.path}` === key);

  it('puts the REQUEST authorizer on exactly the routes with a scope, and requires the usage key there', () => {
    const methods = methodsByRoute();
    const actual = ROUTES.map((route) => {
      const method = methods.get(`${route.method} ${route.path}`) ?? {};
      return { route: `${route.method} ${route.path}`, type: method.AuthorizationType, authorizer: method.AuthorizerId, keyRequired: method.ApiKeyRequired ?? false };
    });
    const expected = ROUTES.map((route) => ({
      route: `${route.method} ${route.path}`,
      ...(route.scope === null
        ? { type: 'NONE', authorizer: undefined, keyRequired: false }
        : { type: 'CUSTOM', authorizer: { Ref: authorizerId() }, keyRequired: true }),
    }));
    expect(actual).toEqual(expected);
    // Preflights are sent by browsers without credentials.
    const preflights = [...methods].filter(([key]) => key.startsWith('OPTIONS '));
    expect(preflights.length).toBeGreaterThan(0);
    expect(preflights.filter(([, method]) => method.AuthorizationType !== 'NONE').map(([key]) => key)).toEqual([]);
    expect([...methods.keys()].filter((k) => !k.startsWith('OPTIONS ') && !isPublic(k)).length).toBe(ROUTES.filter((r) => r.scope !== null).length);
  });

  it('runs the authorizer on every request (no API Gateway cache, no required identity source)', () => {
    const authorizer = only(api, 'AWS::ApiGateway::Authorizer').Properties;
    expect(authorizer).toMatchObject({ Type: 'REQUEST', AuthorizerResultTtlInSeconds: 0 });
    expect(authorizer.IdentitySource ?? '').toBe('');
    expect(JSON.stringify(authorizer.AuthorizerUri)).toContain(`"${authorizerFnId()}"`);
  });

  it('takes the usage key from the authorizer, never from a client header', () => {
    expect(only(api, 'AWS::ApiGateway::RestApi').Properties.ApiKeySourceType).toBe('AUTHORIZER');
  });

  it('binds one usage plan per tier to the stage, throttled at the per-minute limit over 60 s', () => {
    const plans = Object.values(resources(api, 'AWS::ApiGateway::UsagePlan')).map((p) => p.Properties);
    const stageId = logicalId(stacks.api.api.deploymentStage);
    const byName = new Map(plans.map((p) => [p.UsagePlanName, p]));
    expect([...byName.keys()].toSorted()).toEqual(['Stepwise-dev-enterprise', 'Stepwise-dev-free']);
    for (const tier of ['free', 'enterprise'] as const) {
      const plan = byName.get(`Stepwise-dev-${tier}`)!;
      const limits = config.usagePlans[tier];
      expect(plan.Throttle).toEqual({ RateLimit: Math.round((limits.requestsPerMinute / 60) * 100) / 100, BurstLimit: limits.burstLimit });
      expect(JSON.stringify(plan.ApiStages)).toContain(`"${stageId}"`);
    }
    // The per-account limit (issue 13 #12): the gateway never refuses what the pipeline's account window admits.
    expect(config.usagePlans.free.requestsPerMinute).toBe(config.rateLimits.account.free);
    expect(config.usagePlans.enterprise.requestsPerMinute).toBe(config.rateLimits.account.enterprise);
    expect((byName.get('Stepwise-dev-free')!.Throttle as Json).RateLimit).toBe(8.33);
  });

  const gatewayStatements = (r: ApiResource) => statementsOf(r).filter((s) => actionsOf(s).some((a) => a.startsWith('apigateway:')));
  const planIds = () => Object.keys(resources(api, 'AWS::ApiGateway::UsagePlan'));

  it('lets auth and accounts manage account keys in the two plans, and nothing else in API Gateway', () => {
    for (const r of ['auth', 'accounts'] as const) {
      const statements = gatewayStatements(r);
      expect(allActions(statements), r).toEqual(['apigateway:DELETE', 'apigateway:GET', 'apigateway:POST', 'apigateway:PUT']);
      const on = (action: string) => JSON.stringify(statements.filter((s) => actionsOf(s).includes(action)).map((s) => s.Resource));
      expect(on('apigateway:GET')).toContain('::/usageplans"');
      expect(on('apigateway:POST')).toContain('::/apikeys"');
      expect(on('apigateway:DELETE')).toContain('::/apikeys/*"');
      for (const plan of planIds()) {
        expect(on('apigateway:POST')).toContain(`"${plan}"`);
        expect(on('apigateway:DELETE')).toContain(`"${plan}"`);
      }
      // Tag-on-create only, and only with this stage's tag.
      const tagging = statements.find((s) => actionsOf(s).includes('apigateway:PUT'))!;
      expect(JSON.stringify(tagging.Resource)).toContain('::/tags/*');
      expect(tagging.Condition).toEqual({ StringEquals: { 'aws:RequestTag/stepwise:stage': 'dev' } });
      expect(statements.every((s) => JSON.stringify(s.Resource) !== '"*"')).toBe(true);
    }
    for (const r of RESOURCES.filter((x) => !FUNCTION_ACCESS[x].managesGatewayKeys)) expect(gatewayStatements(r), r).toEqual([]);
  });

  it('tells the key-managing functions the plan names, which match the plans', () => {
    const names = (Object.values(resources(api, 'AWS::ApiGateway::UsagePlan')).map((p) => p.Properties.UsagePlanName) as string[]).toSorted();
    const planNamesOf = (r: ApiResource) => {
      const env = (resource(api, 'AWS::Lambda::Function', fnId(r)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      return [env.USAGE_PLAN_ENTERPRISE_NAME, env.USAGE_PLAN_FREE_NAME];
    };
    expect(RESOURCES.map((r) => [r, planNamesOf(r)])).toEqual(
      RESOURCES.map((r) => [r, FUNCTION_ACCESS[r].managesGatewayKeys ? names : [undefined, undefined]]),
    );
  });

  it('gives the authorizer point reads, the JWKS, and updates of anonymous rate-limit counters only', () => {
    const statements = statementsForRole(api, logicalId(stacks.api.authorizerFunction.role));
    expect(allActions(statementsOn(statements, tableId()))).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    const update = statementsOn(statements, tableId()).find((st) => actionsOf(st).includes('dynamodb:UpdateItem'))!;
    expect(update.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RATELIMIT#ip#*'] } });
    expect(allActions(statementsOn(statements, jwksSecretId()))).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(statementsOn(statements, signingSecretId())).toEqual([]);
    expect(allActions(statements).filter((a) => !a.startsWith('xray:') && !a.startsWith('logs:') && !a.startsWith('kms:'))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    const env = (resource(api, 'AWS::Lambda::Function', authorizerFnId()).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toMatchObject({
      STEPWISE_MODE: 'aws',
      AUTHORIZER_CACHE_SECONDS: String(config.authorizerCacheSeconds),
      RATE_LIMIT_ANONYMOUS: String(config.rateLimits.anonymous),
      RATE_LIMIT_WINDOW_SECONDS: String(config.rateLimits.windowSeconds),
    });
    expect(JSON.stringify(env.TABLE_NAME)).toContain(tableId());
    expect(JSON.stringify(env.JWKS_SECRET_ARN)).toContain(jwksSecretId());
  });

  it('issue 13 #9 (Medium): answers a refused credential with 401 and the rate-limit fields from the authorizer, and an address over its budget with 429', () => {
    const byType = (type: string) => Object.values(resources(api, 'AWS::ApiGateway::GatewayResponse')).find((r) => r.Properties.ResponseType === type)!.Properties;
    const denied = byType('ACCESS_DENIED');
    expect(denied.StatusCode).toBe('401');
    expect(denied.ResponseParameters).toMatchObject({
      'gatewayresponse.header.WWW-Authenticate': `'Bearer realm="stepwise"'`,
      'gatewayresponse.header.X-RateLimit-Limit': 'context.authorizer.rateLimitLimit',
      'gatewayresponse.header.X-RateLimit-Remaining': 'context.authorizer.rateLimitRemaining',
      'gatewayresponse.header.X-RateLimit-Reset': 'context.authorizer.rateLimitReset',
      'gatewayresponse.header.RateLimit-Policy': 'context.authorizer.rateLimitPolicy',
      'gatewayresponse.header.RateLimit': 'context.authorizer.rateLimitState',
    });
    expect(JSON.parse((denied.ResponseTemplates as Record<string, string>)['application/json']!.replace('$context.requestId', 'req-1'))).toEqual({
      error: { code: 'unauthorized', message: 'Unauthorized', request_id: 'req-1' },
    });
    const limited = byType('UNAUTHORIZED');
    const { anonymous, windowSeconds } = config.rateLimits;
    expect(limited.StatusCode).toBe('429');
    expect(limited.ResponseParameters).toMatchObject({
      'gatewayresponse.header.Retry-After': `'${windowSeconds}'`,
      'gatewayresponse.header.X-RateLimit-Limit': `'${anonymous}'`,
      'gatewayresponse.header.X-RateLimit-Remaining': "'0'",
      'gatewayresponse.header.RateLimit-Policy': `'"anonymous";q=${anonymous};w=${windowSeconds}'`,
    });
    expect(JSON.parse((limited.ResponseTemplates as Record<string, string>)['application/json']!.replace('$context.requestId', 'req-1'))).toEqual({
      error: { code: 'rate_limit_exceeded', message: `Rate limit exceeded. Please retry after ${windowSeconds} seconds.`, request_id: 'req-1', retry_after: windowSeconds },
    });
  });

  it('issue 15 #4: CORS preflights carry X-Request-Id', () => {
    const preflights = Object.values(resources(api, 'AWS::ApiGateway::Method')).filter((m) => m.Properties.HttpMethod === 'OPTIONS');
    expect(preflights.length).toBeGreaterThan(0);
    for (const m of preflights) {
      const props = m.Properties as { Integration: { IntegrationResponses: { ResponseParameters: Json }[] }; MethodResponses: { ResponseParameters: Json }[] };
      expect(props.Integration.IntegrationResponses[0]!.ResponseParameters['method.response.header.X-Request-Id']).toBe('context.requestId');
      expect(props.MethodResponses[0]!.ResponseParameters['method.response.header.X-Request-Id']).toBe(true);
    }
  });

  it('keeps the usage plans out of the functions’ dependencies (plan → stage → methods → functions would be a cycle)', () => {
    // Template.fromStack already refuses a cyclic template; this names the trap that would close one.
    const plans = planIds();
    const policies = Object.keys(resources(api, 'AWS::IAM::Policy')).filter((id) => /GatewayKeys/.test(id));
    expect(policies.length).toBe(2);
    for (const r of RESOURCES) {
      const fn = resource(api, 'AWS::Lambda::Function', fnId(r));
      const json = JSON.stringify({ env: fn.Properties.Environment, dependsOn: fn.DependsOn });
      for (const id of [...plans, ...policies]) expect(json, `${r} → ${id}`).not.toContain(`"${id}"`);
    }
  });
});

describe('chat engine', () => {
  const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
  const envOf = (template: Template, id: string) => (resource(template, 'AWS::Lambda::Function', id).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  const bedrockStatements = (template: Template, role: string) => statementsForRole(template, role).filter((s) => actionsOf(s).some((a) => a.startsWith('bedrock:')));

  it('runs the offline rules engine by default: CHAT_ENGINE=rules on the chat function, no model, no Bedrock permission anywhere', () => {
    expect(config.chat).toEqual({ engine: 'rules' });
    expect(envOf(api, fnId('chat'))).toMatchObject({ CHAT_ENGINE: 'rules' });
    expect(envOf(api, fnId('chat'))).not.toHaveProperty('BEDROCK_MODEL_ID');
    for (const r of RESOURCES.filter((x) => x !== 'chat')) expect(envOf(api, fnId(r)), r).not.toHaveProperty('CHAT_ENGINE');
    for (const r of RESOURCES) expect(bedrockStatements(api, roleId(r)), r).toEqual([]);
  });

  it('with Bedrock on, gives the chat function the model and bedrock:InvokeModel on exactly that foundation model, and nothing else gets it', () => {
    // Bundling skipped: only the template matters here, and the first synthesis already bundled every function.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const withBedrock = createStepwiseStacks(app, stageConfig('dev', { chatEngine: 'bedrock', bedrockModelId: MODEL }));
    const template = Template.fromStack(withBedrock.api);
    const role = (r: ApiResource) => logicalId(withBedrock.api.functions[r].role);
    expect(envOf(template, logicalId(withBedrock.api.functions.chat.function))).toMatchObject({ CHAT_ENGINE: 'bedrock', BEDROCK_MODEL_ID: MODEL });
    expect(bedrockStatements(template, role('chat'))).toEqual([
      {
        Effect: 'Allow',
        Action: 'bedrock:InvokeModel',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, `::foundation-model/${MODEL}`]] },
      },
    ]);
    for (const r of RESOURCES.filter((x) => x !== 'chat')) expect(bedrockStatements(template, role(r)), r).toEqual([]);
    // A single named model: nothing for cdk-nag's wildcard rule (IAM5) to flag, so nothing to acknowledge.
    const findings = new AwsSolutionsChecks().validateScope(app).violations.filter((v) => v.violatingResources.some((x) => (x.constructPath ?? '').includes('/ChatFunction/')));
    expect(findings.map((f) => f.ruleName)).toEqual([]);
  });
});

describe('interactive docs on AWS', () => {
  it('puts every Swagger UI and ReDoc asset next to the system function’s bundle, where functions/adapters/docs-assets.ts reads it', () => {
    const code = stacks.api.functions.system.function.node.findChild('Code') as Asset;
    const bundle = join((stacks.api.node.root as App).outdir, code.assetPath);
    expect(existsSync(join(bundle, 'index.mjs'))).toBe(true);
    for (const [name, asset] of Object.entries(DOCS_ASSETS)) {
      const copy = join(bundle, DOCS_ASSETS_DIR, name);
      expect(existsSync(copy), name).toBe(true);
      expect(readFileSync(copy).equals(readFileSync(createRequire(import.meta.url).resolve(asset.source))), name).toBe(true);
    }
    // Only the function that serves them carries them.
    const tasks = stacks.api.functions.tasks.function.node.findChild('Code') as Asset;
    expect(existsSync(join((stacks.api.node.root as App).outdir, tasks.assetPath, DOCS_ASSETS_DIR))).toBe(false);
  });
});
