/**
 * The API functions' access, in one place: what each may touch (read off its capabilities in
 * lib/definitions/capabilities.ts, the declaration its configuration also checks at cold start),
 * and the grants that follow from it. lib/api-stack.ts builds the functions and calls
 * grantFunctionAccess on each (docs/deploy.md#who-can-do-what).
 */
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { FUNCTION_CAPABILITIES, type Capability } from '../definitions/capabilities.ts';
import { RESOURCES, type Resource } from '../definitions/routes.ts';
import { grantSecretRead } from '../secret-access.ts';
import type { StageConfig } from '../stage-config.ts';
import { grantTableAccess, type TableAccess } from '../table-access.ts';
import { LOG_DELIVERY_ACTIONS } from './step-functions-logging.ts';
import type { StepwiseFunction } from './stepwise-function.ts';
import { webhookQueueAddress } from './webhook-delivery.ts';
import { grantScheduleManagement } from './workflow-triggers.ts';

/** A resource's function's construct id (`TasksFunction`, `Api-keysFunction`). */
export function apiFunctionId(resource: Resource): string {
  return `${resource.charAt(0).toUpperCase()}${resource.slice(1)}Function`;
}

/** What each API function's code actually does with the shared resources. */
export interface FunctionAccess {
  readonly table: TableAccess;
  /** Verifies access tokens against the public JWKS. */
  readonly readsJwks: boolean;
  /** Issues access tokens, so it reads the private signing key (and gets SIGNING_KEY_SECRET_ARN). */
  readonly readsSigningKey: boolean;
  /** Creates, moves or deletes accounts, and with them their API Gateway keys in the usage plans. */
  readonly managesGatewayKeys?: boolean;
  /** Creates, publishes and deletes the generated state machines (the workflows API). */
  readonly managesStateMachines?: boolean;
  /** Writes account secrets to Secrets Manager (never reads values back). */
  readonly managesSecrets?: boolean;
  /** Deletes an account's workflow state machines when the account is deleted. */
  readonly deletesStateMachines?: boolean;
  /** Starts, stops and redrives executions of the stage's machines. */
  readonly runsStateMachines?: boolean;
  /** Completes waiting approvals' task tokens (SendTaskSuccess/SendTaskFailure) when someone decides them. */
  readonly decidesApprovals?: boolean;
  /** Answers chat messages: gets CHAT_ENGINE and, with the Bedrock engine, its model and the right to invoke only that model. */
  readonly answersChat?: boolean;
  /** Serves Swagger UI and ReDoc: their files are copied next to the bundle (lib/definitions/docs-assets.ts). */
  readonly servesDocsAssets?: boolean;
  /** Keeps schedule triggers in EventBridge Scheduler (lib/constructs/workflow-triggers.ts): the stage's group only. */
  readonly managesSchedules?: boolean;
  /** Shows webhook trigger URLs, so it gets PUBLIC_BASE_URL (the API's own address). */
  readonly showsHookUrls?: boolean;
  /** Enqueues webhook replays and test pings on the delivery queue (lib/constructs/webhook-delivery.ts), found by its fixed name. */
  readonly enqueuesWebhookDeliveries?: boolean;
}

/** What the workflows function needs from the workflow stack (lib/workflow-stack.ts). */
export interface StateMachineSupport {
  readonly machinePrefix: string;
  /** `stepwise-<stage>-wf_`: IAM patterns end here so another stage's machines never match. */
  readonly machineNamePrefix: string;
  readonly machineArnPattern: string;
  readonly executionArnPattern: string;
  /** A workflow's machine ARN is this plus its id (STATE_MACHINE_ARN_PREFIX: real partition and account). */
  readonly machineArnPrefix: string;
  readonly taskRunnerArn: string;
  readonly machineRole: iam.IRole;
  readonly machineLogGroup: ILogGroup;
}

/** The API function of a resource, by its construct path (the key of lib/definitions/capabilities.ts). */
export const apiFunctionKey = (resource: Resource): string => `Api/${apiFunctionId(resource)}`;

/** The only API function whose bundle carries files: Swagger UI and ReDoc (a packaging fact, not an AWS capability). */
const SERVES_DOCS_ASSETS: ReadonlySet<Resource> = new Set(['system']);

/**
 * What each API function may touch, read off its capabilities (lib/definitions/capabilities.ts,
 * the one declaration the function's configuration also checks at cold start): each flag below is
 * one grant in createFunctions. A resource added to RESOURCES without an entry there fails synth.
 */
export function functionAccessOf(resource: Resource): FunctionAccess {
  const key = apiFunctionKey(resource);
  const capabilities = FUNCTION_CAPABILITIES[key];
  if (!capabilities) throw new Error(`No capabilities are declared for ${key} (lib/definitions/capabilities.ts)`);
  const has = (...wanted: Capability[]) => wanted.some((c) => capabilities.includes(c));
  return {
    // The health check's DescribeTable is the system function's only table access.
    table: has('table:read-write') ? 'read-write' : 'describe',
    readsJwks: has('tokens:verify'),
    readsSigningKey: has('tokens:issue'),
    ...(has('gateway-keys:create', 'gateway-keys:manage') ? { managesGatewayKeys: true } : {}),
    ...(has('machines:provision') ? { managesStateMachines: true } : {}),
    ...(has('secrets:manage') ? { managesSecrets: true } : {}),
    ...(has('machines:delete') ? { deletesStateMachines: true } : {}),
    ...(has('runs:start', 'runs:control') ? { runsStateMachines: true } : {}),
    ...(has('runs:decide-approvals') ? { decidesApprovals: true } : {}),
    ...(has('chat:model') ? { answersChat: true } : {}),
    ...(SERVES_DOCS_ASSETS.has(resource) ? { servesDocsAssets: true } : {}),
    ...(has('schedules:manage') ? { managesSchedules: true } : {}),
    ...(has('hooks:show-urls') ? { showsHookUrls: true } : {}),
    ...(has('webhooks:enqueue') ? { enqueuesWebhookDeliveries: true } : {}),
  };
}

export const FUNCTION_ACCESS: Readonly<Record<Resource, FunctionAccess>> = Object.fromEntries(RESOURCES.map((r) => [r, functionAccessOf(r)])) as Record<Resource, FunctionAccess>;

/** The shared resources the grants point at. */
export interface AccessDeps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly jwksSecret: ISecret;
  readonly signingKeySecret: ISecret;
  readonly secretsKey: IKey;
  readonly stateMachines: StateMachineSupport;
}

/** Every grant `access` calls for, on `fn`'s role, and nothing more. */
export function grantFunctionAccess(fn: StepwiseFunction, access: FunctionAccess, deps: AccessDeps): void {
  const { config, table, jwksSecret, signingKeySecret } = deps;
  if (access.managesStateMachines) grantStateMachineManagement(fn, deps.stateMachines);
  if (access.runsStateMachines) grantStateMachineRuns(fn, deps.stateMachines);
  if (access.decidesApprovals) grantApprovalDecisions(fn);
  if (access.managesSchedules) grantScheduleManagement(fn, config);
  // SendMessage only, on exactly the delivery queue (SQS-managed encryption: no key to grant).
  if (access.enqueuesWebhookDeliveries) iam.Grant.addToPrincipal({ grantee: fn, actions: ['sqs:SendMessage'], resourceArns: [webhookQueueAddress(Stack.of(fn), config).arn] });
  if (access.managesSecrets) grantSecretManagement(fn, config, deps.secretsKey);
  if (access.answersChat && config.chat.engine === 'bedrock' && config.chat.bedrockModelId) grantModelInvocation(fn, config.chat.bedrockModelId);
  if (access.deletesStateMachines) {
    const policy = new iam.Policy(fn, 'AccountMachines', {
      statements: [new iam.PolicyStatement({ actions: ['states:DeleteStateMachine'], resources: [deps.stateMachines.machineArnPattern] })],
    });
    fn.attachPolicy(policy);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${deps.stateMachines.machineNamePrefix}*]`,
      reason: 'Deleting an account deletes its workflows’ machines, created at run time as `stepwise-<stage>-wf_<id>`; only DeleteStateMachine, only on this stage’s machines.',
    });
  }
  grantTableAccess(table, fn, access.table);
  if (access.readsJwks) grantSecretRead(jwksSecret, fn);
  if (access.readsSigningKey) grantSecretRead(signingKeySecret, fn);
}

/**
 * The workflows function manages only this stage's machines (`stepwise-<stage>-*`, with their
 * versions and aliases) and may hand them only the machine role, only to Step Functions.
 */
/** Start runs on this stage's machines (their `live` aliases) and stop or redrive their executions. */
/** Exactly the two token calls; a task token names no resource, so IAM can only take "*" (Service Authorization Reference). */
function grantApprovalDecisions(fn: StepwiseFunction): void {
  const policy = new iam.Policy(fn, 'ApprovalDecisions', { statements: [new iam.PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: ['*'] })] });
  fn.attachPolicy(policy);
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'states:SendTaskSuccess/SendTaskFailure have no resource-level permissions (a task token names no resource); the function sends them only with tokens read from the account-scoped approval record it just claimed, after checking the caller may decide it.',
  });
}

function grantStateMachineRuns(fn: StepwiseFunction, support: StateMachineSupport): void {
  const policy = new iam.Policy(fn, 'StateMachineRuns', {
    statements: [
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [support.machineArnPattern, `${support.machineArnPattern}:*`] }),
      new iam.PolicyStatement({ actions: ['states:StopExecution', 'states:RedriveExecution', 'states:DescribeExecution'], resources: [`${support.executionArnPattern}:*`] }),
    ],
  });
  fn.attachPolicy(policy);
  const arnOf = (resource: string) => `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:${resource}`;
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${arnOf(`stateMachine:${support.machineNamePrefix}*`)}]`,
    reason: 'Machines are created at run time, one per workflow (`stepwise-<stage>-wf_<id>`); runs may start only on this stage’s generated machines.',
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${arnOf(`stateMachine:${support.machineNamePrefix}*`)}:*]`,
    reason: 'Runs start on a published version of the machine (`<machine>:<version>`); the suffix covers only versions and aliases of this stage’s machines.',
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${arnOf(`execution:${support.machineNamePrefix}*`)}:*]`,
    reason: 'Execution names are run-time ids (`<execution id>-<account id>`); cancel and retry may stop, redrive or describe only executions of this stage’s machines.',
  });
}

function grantStateMachineManagement(fn: StepwiseFunction, support: StateMachineSupport): void {
  const machines = [support.machineArnPattern, `${support.machineArnPattern}:*`];
  const policy = new iam.Policy(fn, 'StateMachines', {
    statements: [
      new iam.PolicyStatement({
        actions: [
          'states:CreateStateMachine',
          'states:UpdateStateMachine',
          // CreateStateMachine and UpdateStateMachine with `publish: true` are also authorised as this.
          'states:PublishStateMachineVersion',
          'states:DeleteStateMachine',
          'states:DescribeStateMachine',
          'states:TagResource',
          'states:CreateStateMachineAlias',
          'states:UpdateStateMachineAlias',
          'states:DescribeStateMachineAlias',
          // Pruning old versions (a machine holds at most 1,000): list them, skip any still running, delete the rest.
          'states:ListStateMachineVersions',
          'states:ListExecutions',
          'states:DeleteStateMachineVersion',
        ],
        resources: machines,
      }),
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [support.machineRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } },
      }),
      // CreateStateMachine with logging sets up vended log delivery as the caller; none of these
      // actions supports resource-level permissions.
      new iam.PolicyStatement({ actions: [...LOG_DELIVERY_ACTIONS], resources: ['*'] }),
    ],
  });
  fn.attachPolicy(policy);
  const arnOf = (resource: string) => `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:${resource}`;
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Only CloudWatch Logs vended-delivery actions use "*": CreateStateMachine with logging creates the log delivery as the caller, and these actions support no resource-level permissions.',
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${arnOf(`stateMachine:${support.machineNamePrefix}*`)}]`,
    reason: 'Workflow machines are created at run time, one per workflow, named `stepwise-<stage>-wf_<id>`; the pattern admits exactly this stage’s generated machines and nothing else.',
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${arnOf(`stateMachine:${support.machineNamePrefix}*`)}:*]`,
    reason: 'Versions and the `live` alias of this stage’s generated machines have ARNs `<machine>:<version|alias>`; publishing, pruning versions and moving the alias need them.',
  });
}

/**
 * Account secrets live in Secrets Manager as `stepwise/<stage>/<account>/<KEY>` (docs/secrets.md).
 * The accounts function may create, replace and delete them, only under this stage's path, only
 * encrypted with the stage's key and tagged with account and stage. It never reads a value.
 */
function grantSecretManagement(fn: StepwiseFunction, config: StageConfig, key: IKey): void {
  const stack = Stack.of(fn);
  const secrets = stack.formatArn({ service: 'secretsmanager', resource: 'secret', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: `stepwise/${config.stage}/*` });
  const tagged = {
    StringEquals: { 'secretsmanager:KmsKeyArn': key.keyArn, 'aws:RequestTag/stepwise:stage': config.stage },
    'ForAllValues:StringEquals': { 'aws:TagKeys': ['stepwise:account', 'stepwise:stage'] },
  };
  const policy = new iam.Policy(fn, 'AccountSecrets', {
    statements: [
      new iam.PolicyStatement({ actions: ['secretsmanager:CreateSecret'], resources: [secrets], conditions: tagged }),
      new iam.PolicyStatement({
        actions: ['secretsmanager:TagResource'],
        resources: [secrets],
        conditions: { StringEquals: { 'aws:RequestTag/stepwise:stage': config.stage }, 'ForAllValues:StringEquals': tagged['ForAllValues:StringEquals'] },
      }),
      new iam.PolicyStatement({ actions: ['secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret'], resources: [secrets] }),
      // Account deletion sweeps values whose metadata was lost; ListSecrets has no resource-level permissions.
      new iam.PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }),
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:SecretARN': secrets },
        },
      }),
    ],
  });
  fn.attachPolicy(policy);
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Only secretsmanager:ListSecrets uses "*": it supports no resource-level permissions, and account deletion uses it (filtered by name prefix) to remove values whose metadata was lost.',
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:stepwise/${config.stage}/*]`,
    reason: 'Account secrets are created at run time, one per key, named `stepwise/<stage>/<account>/<KEY>`; the pattern admits only this stage’s secrets, creation additionally requires the stage’s KMS key and tags.',
  });
}

/**
 * The Bedrock chat engine calls Converse, which is authorised as bedrock:InvokeModel on the
 * foundation model: exactly the configured one, in this stack's region (foundation-model ARNs have
 * no account).
 */
function grantModelInvocation(fn: StepwiseFunction, modelId: string): void {
  const model = Stack.of(fn).formatArn({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: modelId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const policy = new iam.Policy(fn, 'ChatModel', { statements: [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [model] })] });
  fn.attachPolicy(policy);
}
