/**
 * How AWS authorises each SDK command Stepwise's adapters send: the IAM actions it needs, on which
 * resource, with which condition keys — per the Service Authorization Reference ("API operations"
 * tables) and the services' own notes:
 * - Step Functions authorises versions and aliases against the machine's unqualified ARN, with the
 *   qualifier in `states:StateMachineQualifier`; `publish: true` on CreateStateMachine and
 *   UpdateStateMachine is also PublishStateMachineVersion ("Authorization for versions and aliases").
 * - CreateStateMachine with logging sets up vended log delivery as the caller (the logs:* actions).
 * - Secrets Manager calls KMS as the caller for a customer-managed key: GenerateDataKey to write,
 *   Decrypt to read, with kms:ViaService and the secret ARN as encryption context.
 * - Tags sent on create are also authorised as the service's tag action with aws:RequestTag.
 * - API Gateway's control plane is `apigateway:<HTTP verb>` on the resource path.
 *
 * Recorded inputs come from adapter tests with made-up names; each rule re-homes the request into
 * the deployed function's world (its environment, the stage's naming rules in
 * lib/definitions/names.ts), keeping what varies per call (ids, qualifiers, index names, tags).
 */
import { ETL_PREFIX, stageNames, WORKFLOW_ID_PREFIX } from '../../../lib/definitions/names.ts';
import { LOG_DELIVERY_ACTIONS } from '../../../lib/constructs/step-functions-logging.ts';
import { stageConfig } from '../../../lib/stage-config.ts';
import type { RecordedCall } from '../../support/sdk-recordings.ts';
import { ACCOUNT, PARTITION, REGION, type DeployedFunction, type World } from './world.ts';

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

export interface Situation {
  readonly world: World;
  readonly fn: DeployedFunction;
  readonly env: Readonly<Record<string, string>>;
}

type Rule = (input: Record<string, unknown>, s: Situation) => IamRequest[];

const arn = (service: string, resource: string, region = REGION, account = ACCOUNT) => `arn:${PARTITION}:${service}:${region}:${account}:${resource}`;
const SAMPLE_WORKFLOW = `${WORKFLOW_ID_PREFIX}01ARZ3NDEKTSV4RRFFQ69G5FAV`;
const SAMPLE_EXECUTION = 'exec_01ARZ3NDEKTSV4RRFFQ69G5FAV-acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';

function need(env: Readonly<Record<string, string>>, name: string, fn: DeployedFunction): string {
  const value = env[name];
  if (!value) throw new Error(`${fn.key} sends a command that needs ${name}, which its environment lacks`);
  return value;
}

/** `…:stateMachine:<any>wf_X[:qualifier]` → this stage's machine ARN for wf_X, and the qualifier. */
function machine(value: unknown, s: Situation): { arn: string; name: string; qualifier?: string } {
  const text = String(value ?? '');
  const id = /wf_[A-Za-z0-9]+/.exec(text)?.[0] ?? SAMPLE_WORKFLOW;
  const name = `${stageNames(s.world.stage).prefix}-${id}`;
  const after = text.slice(text.indexOf(id) + id.length);
  const qualifier = /^:([A-Za-z0-9_-]+)$/.exec(after)?.[1];
  return { arn: arn('states', `stateMachine:${name}`), name, ...(qualifier ? { qualifier } : {}) };
}

const qualified = (m: ReturnType<typeof machine>) => (m.qualifier ? { 'states:StateMachineQualifier': m.qualifier } : undefined);

function execution(value: unknown, s: Situation): string {
  const text = String(value ?? '');
  const name = text.slice(text.lastIndexOf(':') + 1) || SAMPLE_EXECUTION;
  return arn('states', `execution:${machine(text, s).name}:${name}`);
}

/** Tags as condition keys; the stage tag is re-homed to the function's stage (adapters take it from STEPWISE_STAGE). */
function tagContext(tags: Record<string, string> | { key?: string; Key?: string; value?: string; Value?: string }[] | undefined, s?: Situation): Record<string, string | string[]> {
  const raw = Array.isArray(tags) ? tags.map((t) => [t.key ?? t.Key ?? '', t.value ?? t.Value ?? ''] as const) : Object.entries(tags ?? {});
  const pairs = raw.map(([k, v]) => [k, k === 'stepwise:stage' && s ? s.world.stage : v] as const);
  const context: Record<string, string | string[]> = { 'aws:TagKeys': pairs.map(([k]) => k) };
  for (const [k, v] of pairs) context[`aws:RequestTag/${k}`] = v;
  return context;
}

/** The KMS key a secret is encrypted with (undefined: the AWS managed key, which needs no grant). */
function secretKey(secretArn: string, s: Situation): string | undefined {
  const secret = s.world.resourcesOf('AWS::SecretsManager::Secret').find(({ info, logicalId }) => s.world.evaluate({ Ref: logicalId }, info) === secretArn);
  return secret?.properties.KmsKeyId as string | undefined;
}

function viaSecretsManager(action: string, key: string | undefined, secretArn: string): IamRequest[] {
  if (!key) return [];
  return [{ action, resource: key, context: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secretArn } }];
}

/** An account secret's ARN: `stepwise/<stage>/<account>/<KEY>` plus Secrets Manager's suffix. */
function accountSecret(value: unknown, s: Situation): string {
  const text = String(value ?? '');
  const tail = /acct_[A-Za-z0-9]+\/[A-Za-z0-9_]+/.exec(text)?.[0] ?? 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV/API_KEY';
  return arn('secretsmanager', `secret:${stageNames(s.world.stage).secretNamePrefix}${tail}-AbCdEf`);
}

/** The secret a signing-key or rotation call names: one of the two the function's environment (or rotation schedule) names. */
function signingSecrets(s: Situation): string[] {
  const rotated = s.world.resourcesOf('AWS::SecretsManager::RotationSchedule').filter(({ properties }) => String(properties.RotationLambdaARN).endsWith(`:function:${s.fn.functionName}`));
  return [...new Set([s.env.JWKS_SECRET_ARN, s.env.SIGNING_KEY_SECRET_ARN, ...rotated.map((r) => String(r.properties.SecretId))].filter((x): x is string => Boolean(x)))];
}

const usagePlans = (s: Situation): string[] => {
  const names = [s.env.USAGE_PLAN_FREE_NAME, s.env.USAGE_PLAN_ENTERPRISE_NAME];
  return s.world.resourcesOf('AWS::ApiGateway::UsagePlan').filter(({ properties }) => names.includes(String(properties.UsagePlanName))).map(({ info, logicalId }) => String(s.world.evaluate({ Ref: logicalId }, info)));
};
const apigw = (path: string) => `arn:${PARTITION}:apigateway:${REGION}::${path}`;

function dynamo(action: string): Rule {
  return (input, s) => {
    const table = arn('dynamodb', `table/${need(s.env, 'TABLE_NAME', s.fn)}`);
    return [{ action: `dynamodb:${action}`, resource: input.IndexName ? `${table}/index/${String(input.IndexName)}` : table }];
  };
}

const TRANSACT: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };
const transact: Rule = (input, s) =>
  ((input.TransactItems as Record<string, unknown>[] | undefined) ?? []).flatMap((item) => Object.keys(item).flatMap((kind) => dynamo(TRANSACT[kind] ?? `Unknown${kind}`)({}, s)));

const DYNAMO: Record<string, Rule> = {
  GetCommand: dynamo('GetItem'),
  PutCommand: dynamo('PutItem'),
  UpdateCommand: dynamo('UpdateItem'),
  DeleteCommand: dynamo('DeleteItem'),
  QueryCommand: dynamo('Query'),
  ScanCommand: dynamo('Scan'),
  BatchGetCommand: dynamo('BatchGetItem'),
  BatchWriteCommand: dynamo('BatchWriteItem'),
  TransactWriteCommand: transact,
  TransactGetCommand: transact,
  DescribeTableCommand: dynamo('DescribeTable'),
  GetItemCommand: dynamo('GetItem'),
  PutItemCommand: dynamo('PutItem'),
  UpdateItemCommand: dynamo('UpdateItem'),
  DeleteItemCommand: dynamo('DeleteItem'),
  TransactWriteItemsCommand: transact,
};

/** etl's S3 objects: the recorded key re-homed under etl/<account>/ of the function's data bucket (S3 ARNs have no region or account). */
function etlObject(action: string): Rule {
  return (input, s) => {
    const key = String(input.Key ?? 'data.csv');
    const homed = key.startsWith(ETL_PREFIX) ? key : `${ETL_PREFIX}acct_01ARZ3NDEKTSV4RRFFQ69G5FAV/${key}`;
    return [{ action, resource: `arn:${PARTITION}:s3:::${need(s.env, 'DATA_BUCKET', s.fn)}/${homed}` }];
  };
}

/** An account's own DynamoDB table: the recorded name re-homed under the function's DATA_TABLE_PREFIX. */
function userTable(action: string): Rule {
  return (input, s) => {
    const prefix = need(s.env, 'DATA_TABLE_PREFIX', s.fn);
    const recorded = String(input.TableName ?? Object.keys((input.RequestItems as Record<string, unknown> | undefined) ?? {})[0] ?? 'events');
    return [{ action: `dynamodb:${action}`, resource: arn('dynamodb', `table/${recorded.startsWith(prefix) ? recorded : `${prefix}acct_01ARZ3NDEKTSV4RRFFQ69G5FAV-${recorded}`}`) }];
  };
}

/** Adapters whose commands name users' resources rather than Stepwise's: their rules come first. */
const BY_ADAPTER: Readonly<Record<string, Readonly<Record<string, Rule>>>> = {
  'functions/adapters/etl/dynamodb-records.ts': Object.fromEntries(
    Object.entries({ ScanCommand: 'Scan', QueryCommand: 'Query', BatchWriteCommand: 'BatchWriteItem', DescribeTableCommand: 'DescribeTable' }).flatMap(([c, a]) => [
      [`DynamoDBDocumentClient ${c}`, userTable(a)],
      [`DynamoDBClient ${c}`, userTable(a)],
    ]),
  ),
};

/** `<Client> <Command>` → what IAM sees. A recorded command with no rule fails the check. */
export const AUTHORIZATION: Readonly<Record<string, Rule>> = {
  // etl: multipart uploads are authorised as s3:PutObject, HeadObject as s3:GetObject (Service Authorization Reference).
  'S3Client GetObjectCommand': etlObject('s3:GetObject'),
  'S3Client HeadObjectCommand': etlObject('s3:GetObject'),
  'S3Client PutObjectCommand': etlObject('s3:PutObject'),
  'S3Client CreateMultipartUploadCommand': etlObject('s3:PutObject'),
  'S3Client UploadPartCommand': etlObject('s3:PutObject'),
  'S3Client CompleteMultipartUploadCommand': etlObject('s3:PutObject'),
  'S3Client AbortMultipartUploadCommand': etlObject('s3:AbortMultipartUpload'),
  ...Object.fromEntries(Object.entries(DYNAMO).flatMap(([c, rule]) => [[`DynamoDBDocumentClient ${c}`, rule], [`DynamoDBClient ${c}`, rule]])),

  'SFNClient CreateStateMachineCommand': (input, s) => {
    const m = machine(input.name, s);
    const tags = input.tags as { key: string; value: string }[] | undefined;
    return [
      { action: 'states:CreateStateMachine', resource: m.arn, context: tagContext(tags, s) },
      ...(input.publish ? [{ action: 'states:PublishStateMachineVersion', resource: m.arn }] : []),
      ...(tags?.length ? [{ action: 'states:TagResource', resource: m.arn, context: tagContext(tags, s) }] : []),
      { action: 'iam:PassRole', resource: need(s.env, 'STATE_MACHINE_ROLE_ARN', s.fn), context: { 'iam:PassedToService': 'states.amazonaws.com' } },
      ...(input.loggingConfiguration ? LOG_DELIVERY_ACTIONS.map((action) => ({ action, resource: '*' })) : []),
    ];
  },
  'SFNClient UpdateStateMachineCommand': (input, s) => {
    const m = machine(input.stateMachineArn, s);
    return [{ action: 'states:UpdateStateMachine', resource: m.arn }, ...(input.publish ? [{ action: 'states:PublishStateMachineVersion', resource: m.arn }] : [])];
  },
  'SFNClient CreateStateMachineAliasCommand': (input, s) => {
    const target = machine((input.routingConfiguration as { stateMachineVersionArn: string }[])[0]?.stateMachineVersionArn, s);
    return [{ action: 'states:CreateStateMachineAlias', resource: target.arn, context: { 'states:StateMachineQualifier': String(input.name) } }];
  },
  'SFNClient UpdateStateMachineAliasCommand': (input, s) => {
    const m = machine(input.stateMachineAliasArn, s);
    return [{ action: 'states:UpdateStateMachineAlias', resource: m.arn, ...(qualified(m) ? { context: qualified(m)! } : {}) }];
  },
  'SFNClient DeleteStateMachineCommand': (input, s) => [{ action: 'states:DeleteStateMachine', resource: machine(input.stateMachineArn, s).arn }],
  'SFNClient ListStateMachineVersionsCommand': (input, s) => [{ action: 'states:ListStateMachineVersions', resource: machine(input.stateMachineArn, s).arn }],
  'SFNClient ListExecutionsCommand': (input, s) => {
    const m = machine(input.stateMachineArn, s);
    return [{ action: 'states:ListExecutions', resource: m.arn, ...(qualified(m) ? { context: qualified(m)! } : {}) }];
  },
  'SFNClient DeleteStateMachineVersionCommand': (input, s) => {
    const m = machine(input.stateMachineVersionArn, s);
    return [{ action: 'states:DeleteStateMachineVersion', resource: m.arn, ...(qualified(m) ? { context: qualified(m)! } : {}) }];
  },
  // Task tokens name no resource: SendTaskSuccess has no resource types (Service Authorization Reference).
  'SFNClient SendTaskSuccessCommand': () => [{ action: 'states:SendTaskSuccess', resource: '*' }],
  'SFNClient SendTaskFailureCommand': () => [{ action: 'states:SendTaskFailure', resource: '*' }],
  'SFNClient StartExecutionCommand': (input, s) => {
    const m = machine(input.stateMachineArn, s);
    return [{ action: 'states:StartExecution', resource: m.arn, ...(qualified(m) ? { context: qualified(m)! } : {}) }];
  },
  'SFNClient StopExecutionCommand': (input, s) => [{ action: 'states:StopExecution', resource: execution(input.executionArn, s) }],
  'SFNClient RedriveExecutionCommand': (input, s) => [{ action: 'states:RedriveExecution', resource: execution(input.executionArn, s) }],

  'SchedulerClient CreateScheduleCommand': (input, s) => schedule('scheduler:CreateSchedule', input, s, true),
  'SchedulerClient UpdateScheduleCommand': (input, s) => schedule('scheduler:UpdateSchedule', input, s, true),
  'SchedulerClient DeleteScheduleCommand': (input, s) => schedule('scheduler:DeleteSchedule', input, s, false),

  'APIGatewayClient GetUsagePlansCommand': () => [{ action: 'apigateway:GET', resource: apigw('/usageplans') }],
  'APIGatewayClient CreateApiKeyCommand': (input, s) => [
    { action: 'apigateway:POST', resource: apigw('/apikeys'), context: tagContext(input.tags as Record<string, string>, s) },
    ...(input.tags ? [{ action: 'apigateway:PUT', resource: apigw(`/tags/${encodeURIComponent(apigw('/apikeys/k1a2b3c4d5'))}`), context: tagContext(input.tags as Record<string, string>, s) }] : []),
  ],
  'APIGatewayClient CreateUsagePlanKeyCommand': (_input, s) => usagePlans(s).map((plan) => ({ action: 'apigateway:POST', resource: apigw(`/usageplans/${plan}/keys`) })),
  'APIGatewayClient DeleteUsagePlanKeyCommand': (input, s) => usagePlans(s).map((plan) => ({ action: 'apigateway:DELETE', resource: apigw(`/usageplans/${plan}/keys/${String(input.keyId)}`) })),
  'APIGatewayClient DeleteApiKeyCommand': (input) => [{ action: 'apigateway:DELETE', resource: apigw(`/apikeys/${String(input.apiKey)}`) }],

  'ApiGatewayManagementApiClient PostToConnectionCommand': (input, s) => [connection('POST', input, s)],
  'ApiGatewayManagementApiClient DeleteConnectionCommand': (input, s) => [connection('DELETE', input, s)],

  'BedrockRuntimeClient ConverseCommand': (_input, s) => [{ action: 'bedrock:InvokeModel', resource: `arn:${PARTITION}:bedrock:${REGION}::foundation-model/${need(s.env, 'BEDROCK_MODEL_ID', s.fn)}` }],
  'EventBridgeClient PutEventsCommand': (_input, s) => [{ action: 'events:PutEvents', resource: arn('events', `event-bus/${need(s.env, 'EVENT_BUS_NAME', s.fn)}`) }],
  // A lambda node names any function; the grant is the stage's opt-in prefix, so that is what is checked.
  'LambdaClient InvokeCommand': (input, s) => {
    const qualifier = /:function:[^:]+:([^:]+)$/.exec(String(input.FunctionName))?.[1];
    return [{ action: 'lambda:InvokeFunction', resource: arn('lambda', `function:${stageConfig(s.world.stage).lambdaNodeFunctionPrefix}enrich${qualifier ? `:${qualifier}` : ''}`) }];
  },
  'SQSClient SendMessageBatchCommand': (_input, s) => {
    const url = need(s.env, 'WEBHOOK_QUEUE_URL', s.fn);
    return [{ action: 'sqs:SendMessage', resource: arn('sqs', url.slice(url.lastIndexOf('/') + 1)) }];
  },

  'SecretsManagerClient CreateSecretCommand': (input, s) => {
    const secret = accountSecret(input.Name, s);
    const key = need(s.env, 'SECRETS_KMS_KEY_ID', s.fn);
    if (key !== accountSecretsKey(s)) throw new Error(`${s.fn.key}: SECRETS_KMS_KEY_ID is not the account-secrets key`);
    const tags = tagContext(input.Tags as { Key: string; Value: string }[], s);
    return [
      { action: 'secretsmanager:CreateSecret', resource: secret, context: { ...tags, 'secretsmanager:KmsKeyArn': key, 'secretsmanager:Name': String(input.Name) } },
      ...(input.Tags ? [{ action: 'secretsmanager:TagResource', resource: secret, context: tags }] : []),
      ...viaSecretsManager('kms:GenerateDataKey', key, secret),
    ];
  },
  'SecretsManagerClient PutSecretValueCommand': (input, s) => secretsCall('secretsmanager:PutSecretValue', 'kms:GenerateDataKey', input, s),
  'SecretsManagerClient GetSecretValueCommand': (input, s) => secretsCall('secretsmanager:GetSecretValue', 'kms:Decrypt', input, s),
  'SecretsManagerClient DescribeSecretCommand': (input, s) => secretsCall('secretsmanager:DescribeSecret', undefined, input, s),
  'SecretsManagerClient UpdateSecretVersionStageCommand': (input, s) => secretsCall('secretsmanager:UpdateSecretVersionStage', undefined, input, s),
  'SecretsManagerClient DeleteSecretCommand': (input, s) => secretsCall('secretsmanager:DeleteSecret', undefined, input, s),
  'SecretsManagerClient ListSecretsCommand': () => [{ action: 'secretsmanager:ListSecrets', resource: '*' }],
  // send_email: SES authorizes SendEmail on the sender's identity (its address, which the stage verified), with the From address as context.
  'SESv2Client SendEmailCommand': (input, s) => [
    { action: 'ses:SendEmail', resource: arn('ses', `identity/${need(s.env, 'EMAIL_SENDER', s.fn)}`), context: { 'ses:FromAddress': String(input.FromEmailAddress) } },
  ],
  // The build log of a job: the stage's jobs project's group, the stream the build named.
  'CloudWatchLogsClient GetLogEventsCommand': (input, s) => [
    { action: 'logs:GetLogEvents', resource: arn('logs', `log-group:/aws/codebuild/${stageNames(s.world.stage).jobsProjectName}:log-stream:${String(input.logStreamName)}`) },
  ],
};

function schedule(action: string, input: Record<string, unknown>, s: Situation, passes: boolean): IamRequest[] {
  const group = need(s.env, 'SCHEDULE_GROUP_NAME', s.fn);
  return [
    { action, resource: arn('scheduler', `schedule/${group}/${String(input.Name)}`) },
    ...(passes ? [{ action: 'iam:PassRole', resource: need(s.env, 'SCHEDULER_ROLE_ARN', s.fn), context: { 'iam:PassedToService': 'scheduler.amazonaws.com' } }] : []),
  ];
}

function connection(method: string, input: Record<string, unknown>, s: Situation): IamRequest {
  const url = new URL(need(s.env, 'LIVE_CALLBACK_URL', s.fn));
  const apiId = url.hostname.split('.')[0]!;
  const stage = url.pathname.replace(/^\//, '');
  return { action: 'execute-api:ManageConnections', resource: arn('execute-api', `${apiId}/${stage}/${method}/@connections/${String(input.ConnectionId)}`) };
}

/**
 * Secret calls name either an account secret (`stepwise/<stage>/…`, the secret store) or one of the
 * signing-key secrets (the function's own, from its environment or rotation schedule).
 */
function secretsCall(action: string, kmsAction: string | undefined, input: Record<string, unknown>, s: Situation): IamRequest[] {
  const id = String(input.SecretId ?? '');
  const secrets = /acct_/.test(id) ? [accountSecret(id, s)] : signingSecrets(s).filter((secret) => (/jwks/i.test(id) ? /Jwks/.test(secret) : /sign/i.test(id) ? /SigningSecret/.test(secret) : true));
  return secrets.flatMap((secret) => [{ action, resource: secret }, ...(kmsAction ? viaSecretsManager(kmsAction, /acct_/.test(id) ? accountSecretsKey(s) : secretKey(secret, s), secret) : [])]);
}

/** The data stack's key for account secrets (SECRETS_KMS_KEY_ID where the function writes them). */
function accountSecretsKey(s: Situation): string {
  const data = s.world.templates.find((t) => t.stack === s.world.stacks.data)!;
  return String(s.world.evaluate({ 'Fn::GetAtt': [data.stack.getLogicalId(s.world.stacks.data.secretsKey.node.defaultChild as never), 'Arn'] }, data));
}

export function requestsFor(call: RecordedCall, s: Situation): IamRequest[] {
  const rule = BY_ADAPTER[call.adapter]?.[`${call.client} ${call.command}`] ?? AUTHORIZATION[`${call.client} ${call.command}`];
  if (!rule) throw new Error(`No authorization rule for ${call.client} ${call.command} (sent by ${call.adapter} ${call.caller}); add one to test/deploy/support/authorization.ts`);
  return rule((call.input ?? {}) as Record<string, unknown>, s);
}
