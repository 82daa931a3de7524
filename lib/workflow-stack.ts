import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, ManagedPolicy, Policy, PolicyDocument, PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EXECUTION_STATUS_PATTERN } from './definitions/event-patterns.ts';
import { dataBucketName, dataTablePrefix, ETL_PREFIX, sageMakerRoleName, stageNames } from './definitions/names.ts';
import { TrainingResources } from './constructs/training-resources.ts';
import { JobsProject } from './constructs/jobs-project.ts';
import { StepwiseFunction } from './constructs/stepwise-function.ts';
import { LOG_DELIVERY_ACTIONS } from './constructs/step-functions-logging.ts';
import type { StageConfig } from './stage-config.ts';
import { grantTableAccess } from './table-access.ts';

export interface WorkflowStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
  /** Encrypts account secrets; the task runner decrypts through Secrets Manager to resolve `{{secrets.KEY}}`. */
  readonly secretsKey: IKey;
}

/**
 * What every generated state machine shares. The machines themselves are created at run time by
 * the workflows API (one Standard machine per workflow, docs/deploy.md#what-gets-created), so this stack holds their
 * execution role, their log group, the domain event bus they publish to, and the names that tie
 * them together: the machine name prefix and the task runner's function name.
 */
export class WorkflowStack extends Stack {
  /** `stepwise-<stage>`: machines are `<prefix>-<workflow id>`; IAM is scoped to this prefix. */
  readonly machinePrefix: string;
  /** The task runner's function name, fixed so machine policies can name it before it exists. */
  readonly taskRunnerName: string;
  readonly taskRunnerArn: string;
  readonly machineRole: IRole;
  readonly machineLogGroup: ILogGroup;
  readonly eventBus: IEventBus;
  /** `stepwise-<stage>-wf_`: what every run-time machine name starts with (lib/definitions/names.ts). */
  readonly machineNamePrefix: string;
  /** ARN pattern matching exactly this stage's machines (`…:stateMachine:stepwise-<stage>-wf_*`). */
  readonly machineArnPattern: string;
  /** ARN pattern matching exactly this stage's executions (`…:execution:stepwise-<stage>-wf_*`). */
  readonly executionArnPattern: string;
  /** `arn:<partition>:states:<region>:<account>:stateMachine:stepwise-<stage>-`: a workflow's machine ARN is this plus its id. */
  readonly machineArnPrefix: string;
  /** Every Task state's Lambda (functions/task-runner). */
  readonly taskRunner: StepwiseFunction;
  /** Consumes Step Functions' status-change events for this stage's machines (functions/execution-events). */
  readonly executionEvents: StepwiseFunction;
  readonly executionStatusRule: Rule;
  /** Runs generic and ci nodes (statemachines/jobs.ts); machines start its builds through codebuild:startBuild.sync. */
  readonly jobs: JobsProject;
  /** ml_training: the data and model bucket and the SageMaker role (docs/deploy.md, "ML training"). */
  readonly training: TrainingResources;
  readonly outputs: Readonly<Record<'eventBusName' | 'machineRoleArn', CfnOutput>>;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { config } = props;
    const names = stageNames(config.stage);
    this.machinePrefix = names.prefix;
    this.machineNamePrefix = names.machineNamePrefix;
    this.taskRunnerName = names.taskRunnerName;
    this.taskRunnerArn = this.formatArn({ service: 'lambda', resource: 'function', resourceName: this.taskRunnerName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const statesArn = (resource: string, resourceName: string) => this.formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    // Ending on `wf_` (not `-*`): stage `pr`'s pattern must not match stage `pr-42`'s machines.
    this.machineArnPattern = statesArn('stateMachine', `${this.machineNamePrefix}*`);
    this.executionArnPattern = statesArn('execution', `${this.machineNamePrefix}*`);
    this.machineArnPrefix = statesArn('stateMachine', `${this.machinePrefix}-`);

    this.eventBus = new EventBus(this, 'EventBus', { eventBusName: names.eventBusName });
    this.jobs = new JobsProject(this, 'Jobs', { config, projectName: names.jobsProjectName });
    const jobsProjectArn = this.formatArn({ service: 'codebuild', resource: 'project', resourceName: names.jobsProjectName });
    this.createApiGatewayAccountRole();
    this.training = new TrainingResources(this, 'Training', { bucketName: dataBucketName(names.prefix, this.account), roleName: sageMakerRoleName(names.prefix), removalPolicy: config.removalPolicy });

    this.machineLogGroup = new LogGroup(this, 'MachineLogs', {
      // Step Functions' log delivery requires the /aws/vendedlogs/ prefix for its resource policy to fit.
      logGroupName: `/aws/vendedlogs/states/${this.machinePrefix}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    const role = new Role(this, 'MachineRole', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `Execution role of every Stepwise ${config.stage} workflow state machine`,
      inlinePolicies: {
        tasks: new PolicyDocument({
          statements: [
            // Every Task state invokes the one task runner (and its versions/aliases).
            new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.taskRunnerArn, `${this.taskRunnerArn}:*`] }),
            new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.eventBus.eventBusArn] }),
            // Subworkflows: start and watch only this stage's own machines, through .sync's managed rule.
            new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.machineArnPattern] }),
            new PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [this.executionArnPattern] }),
            new PolicyStatement({
              actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
              resources: [this.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule' })],
            }),
            // generic/ci nodes: codebuild:startBuild.sync on the jobs project only — start, watch, stop on
            // timeout or cancel — and the managed rule .sync uses (Step Functions' CodeBuild IAM policy).
            new PolicyStatement({ actions: ['codebuild:StartBuild', 'codebuild:StopBuild', 'codebuild:BatchGetBuilds'], resources: [jobsProjectArn] }),
            new PolicyStatement({
              actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
              resources: [this.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventForCodeBuildStartBuildRule' })],
            }),
            // ml_training: sagemaker:createTrainingJob.sync on this stage's jobs (named sw-<uuid> by the machine),
            // passing only the SageMaker role, and the managed rule .sync watches them with.
            new PolicyStatement({
              actions: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'],
              resources: [this.formatArn({ service: 'sagemaker', resource: 'training-job', resourceName: 'sw-*' })],
            }),
            new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.training.role.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } }),
            new PolicyStatement({
              actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
              resources: [this.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForSageMakerTrainingJobsRule' })],
            }),
          ],
        }),
        observability: new PolicyDocument({
          statements: [
            new PolicyStatement({
              effect: Effect.ALLOW,
              // Log delivery and X-Ray actions have no resource-level permissions (AWS docs).
              actions: [
                ...LOG_DELIVERY_ACTIONS,
                'xray:PutTraceSegments',
                'xray:PutTelemetryRecords',
                'xray:GetSamplingRules',
                'xray:GetSamplingTargets',
              ],
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    this.machineRole = role;

    const acknowledge = (finding: string, reason: string) => Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    acknowledge(
      'Resource::*',
      'Only CloudWatch Logs vended log delivery (Create/Get/Update/Delete/ListLogDeliveries, Put/DescribeResourcePolicies, DescribeLogGroups) and X-Ray writes use "*": none of them supports resource-level permissions, and Step Functions needs them for the machines’ ALL-level logging and tracing.',
    );
    // cdk-nag names findings with the unresolved pseudo-parameters, not the tokens.
    const arnOf = (service: string, resource: string) => `arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}`;
    acknowledge(
      `Resource::${arnOf('lambda', `function:${this.taskRunnerName}`)}:*`,
      'The `:*` suffix covers only the task runner’s own versions and aliases, so machines can invoke a published version; no other function matches.',
    );
    acknowledge(
      `Resource::${arnOf('states', `stateMachine:${this.machineNamePrefix}*`)}`,
      'Machines are created at run time by the workflows API, one per workflow, so their names are only known as `stepwise-<stage>-wf_<id>`; the pattern matches exactly this stage’s generated machines (for subworkflow starts).',
    );
    acknowledge(
      `Resource::${arnOf('states', `execution:${this.machineNamePrefix}*`)}`,
      'Subworkflow executions get run-time names under this stage’s machines; the pattern lets a machine describe or stop only executions of `stepwise-<stage>-wf_*` machines.',
    );
    acknowledge(
      `Resource::${arnOf('sagemaker', 'training-job/sw-*')}`,
      'Training jobs are named at run time (`sw-<uuid>`, States.UUID in the machine); the pattern covers only jobs Stepwise machines start.',
    );
    this.taskRunner = this.createTaskRunner(props);
    ({ fn: this.executionEvents, rule: this.executionStatusRule } = this.createExecutionEvents(props));

    this.outputs = {
      eventBusName: new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName }),
      machineRoleArn: new CfnOutput(this, 'MachineRoleArn', { value: role.roleArn }),
    };
  }

  /**
   * API Gateway's account-level CloudWatch role, which the REST stage (API stack) and the WebSocket
   * stage (events stack) log through. It lives here, before both, so the API stack can be the last
   * to deploy (docs/deploy.md#deploy-order). Account-wide, so it is kept when a stage goes.
   */
  private createApiGatewayAccountRole(): void {
    const role = new Role(this, 'ApiGatewayCloudWatchRole', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway writes access and execution logs of every API in this account and region with this role',
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const account = new CfnAccount(this, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
    account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level role API Gateway assumes to write access and execution logs (required by APIG1/APIG6). AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly this service role, is assumable only by apigateway.amazonaws.com, and keeps up with new log delivery needs.',
    });
  }

  private createTaskRunner(props: WorkflowStackProps): StepwiseFunction {
    const { config } = props;
    const fn = new StepwiseFunction(this, 'TaskRunner', {
      config,
      entry: 'functions/task-runner/handler.ts',
      // transform scripts: QuickJS's WebAssembly module, next to the chunk that loads it (new URL(…, import.meta.url)).
      bundledFiles: [{ source: 'node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm', target: 'chunks/emscripten-module.wasm' }],
      functionName: this.taskRunnerName,
      description: `Stepwise ${config.stage}: runs every workflow node (http.request, webhook, transform, lambda; prepares and records generic/ci jobs)`,
      environment: {
        TABLE_NAME: props.table.tableName,
        DATA_BUCKET: this.training.bucket.bucketName,
        DATA_TABLE_PREFIX: dataTablePrefix(stageNames(config.stage).prefix),
        ...(config.emailSender ? { EMAIL_SENDER: config.emailSender } : {}),
      },
      // Lambda's most: an etl node moves records for up to 14 minutes (functions/root/runner.ts); other nodes end on
      // their own timeouts (an HTTP call's default 30 s), and the handler aborts what is left 2 s before this.
      timeout: Duration.minutes(15),
    });
    grantTableAccess(props.table, fn, 'read-write');
    const secrets = this.formatArn({ service: 'secretsmanager', resource: 'secret', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: `stepwise/${config.stage}/*` });
    const lambdaNodes = this.formatArn({ service: 'lambda', resource: 'function', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: `${config.lambdaNodeFunctionPrefix}*` });
    const policy = new Policy(this, 'TaskRunnerAccess', {
      statements: [
        // `{{secrets.KEY}}`: read values of this stage's account secrets (stepwise/<stage>/<account>/<KEY>).
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets] }),
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [props.secretsKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` }, StringLike: { 'kms:EncryptionContext:SecretARN': secrets } },
        }),
        // lambda nodes: only functions named with the stage's prefix, so a workflow cannot call Stepwise's own functions.
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [lambdaNodes, `${lambdaNodes}:*`] }),
        // generic/ci: read a finished build's log (its stdout, ci's commit) from the jobs project's log group only.
        new PolicyStatement({ actions: ['logs:GetLogEvents'], resources: [this.jobs.logGroup.logGroupArn] }),
        // etl and fetch_data: objects under etl/ of the stage's data bucket (multipart writes included), and accounts' own tables.
        new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], resources: [this.training.bucket.arnForObjects(`${ETL_PREFIX}*`)] }),
        new PolicyStatement({
          actions: ['dynamodb:DescribeTable', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchWriteItem'],
          resources: [this.formatArn({ service: 'dynamodb', resource: 'table', resourceName: `${dataTablePrefix(stageNames(config.stage).prefix)}*` })],
        }),
        // The gated layout's release calls open gates (statemachines/README.md, "Gated layout").
        new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }),
        // send_email: SES v2 SendEmail from the stage's sender identity only (the address, or its domain's identity).
        ...(config.emailSender
          ? [
              new PolicyStatement({
                actions: ['ses:SendEmail'],
                resources: [config.emailSender, config.emailSender.split('@')[1]!].map((identity) => this.formatArn({ service: 'ses', resource: 'identity', arnFormat: ArnFormat.SLASH_RESOURCE_NAME, resourceName: identity })),
                conditions: { StringEquals: { 'ses:FromAddress': config.emailSender } },
              }),
            ]
          : []),
      ],
    });
    fn.attachPolicy(policy);
    const arnOf = (service: string, resource: string) => `Resource::arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}`;
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[${arnOf('secretsmanager', `secret:stepwise/${config.stage}/*`)}]`,
      reason: 'Account secrets are created at run time, one per key (stepwise/<stage>/<account>/<KEY>); the runner reads only this stage’s, and the account id comes from the execution record, never from workflow input.',
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[${arnOf('lambda', `function:${config.lambdaNodeFunctionPrefix}*`)}]`,
      reason: 'lambda nodes invoke users’ own functions, which exist only at run time; the name prefix is the stage’s opt-in boundary (docs/deploy.md), and no Stepwise function carries it.',
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.training.bucket.node.defaultChild as never)}.Arn>/${ETL_PREFIX}*]`,
      reason: 'etl reads and writes objects users name at run time; only under etl/ of the stage’s own data bucket (never models/), and the runner further limits each account to etl/<account>/.',
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[${arnOf('dynamodb', `table/${dataTablePrefix(stageNames(config.stage).prefix)}*`)}]`,
      reason: 'Accounts’ own data tables exist only at run time; the name prefix is the stage’s boundary (never Stepwise’s own table, which does not carry it), and the runner further limits each account to <prefix><account>-….',
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'states:SendTaskSuccess has no resource-level permissions (a task token names no resource; Service Authorization Reference): the runner sends it only for gate tokens its own machines handed it, which open a dependency gate and carry an empty output.',
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[${arnOf('lambda', `function:${config.lambdaNodeFunctionPrefix}*`)}:*]`,
      reason: 'Published versions and aliases (`<function>:<qualifier>`) of the same opted-in functions: a lambda node may name a qualified ARN, and the prefix boundary still holds.',
    });
    return fn;
  }

  /**
   * Step Functions reports status changes on the default bus; one rule (its pattern shared with
   * local mode through lib/definitions/event-patterns.ts) sends this stage's to the consumer,
   * with retries and a dead-letter queue so no change is silently lost.
   */
  private createExecutionEvents(props: WorkflowStackProps): { fn: StepwiseFunction; rule: Rule } {
    const { config } = props;
    const fn = new StepwiseFunction(this, 'ExecutionEvents', {
      config,
      entry: 'functions/execution-events/handler.ts',
      description: `Stepwise ${config.stage}: applies Step Functions execution status changes`,
      environment: { TABLE_NAME: props.table.tableName },
    });
    grantTableAccess(props.table, fn, 'read-write');
    const deadLetters = new Queue(this, 'ExecutionEventsDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the execution-status rule’s Lambda target; events land here only after 185 retries over 24 hours, and are replayed from it by hand.' });
    const rule = new Rule(this, 'ExecutionStatusRule', {
      description: `Step Functions status changes of ${this.machineNamePrefix}* machines`,
      eventPattern: EXECUTION_STATUS_PATTERN(statesArnPrefix(this, this.machineNamePrefix)),
      targets: [new LambdaFunction(fn.function, { deadLetterQueue: deadLetters, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });
    return { fn, rule };
  }
}

/** `arn:…:stateMachine:<prefix>` for prefix rules: Step Functions events name the machine ARN, which must start with it. */
function statesArnPrefix(stack: Stack, namePrefix: string): string {
  return stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: namePrefix, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}
