import { FUNCTION_CAPABILITIES } from '../../lib/definitions/capabilities.ts';
import { dataBucketName, jobsProjectName, sageMakerRoleName } from '../../lib/definitions/names.ts';
import type { GatewayKeys } from '../core/auth/ports.ts';
import type { TaskTokens } from '../core/runner/dependency-gates.ts';
import type { JobLogs } from '../core/runner/ports.ts';
import { readBundledApiDocument } from '../adapters/api-document.ts';
import type { MailSender } from '../core/email/ports.ts';
import { awsClients } from '../adapters/aws/clients.ts';
import { stepFunctionsMachineDeleter } from '../adapters/aws/account-machines.ts';
import { SecretsManagerSecretStore } from '../adapters/aws/secrets-manager-secret-store.ts';
import { SecretsManagerSigningKeys } from '../adapters/aws/secrets-manager-signing-keys.ts';
import { lazy } from '../adapters/lazy.ts';
import { createJsonLogger } from '../adapters/logging/json-logger.ts';
import { parseConfig, type Config } from './config.ts';
import type { CompilerTargets, Platform } from './platform.ts';
import { createStepwise, type Stepwise } from './stepwise.ts';

/** Fails the way a missing setting fails at cold start (parseConfig), for code reached without the capability declared. */
function required<T>(value: T | undefined, name: string, why: string): T {
  if (value === undefined || value === '') throw new Error(`Invalid Stepwise configuration: ${name} is required ${why}`);
  return value;
}

/**
 * Where compiled machines point on AWS: the real task runner and machine ARNs (partition and
 * account included) that CDK sets. Never made up: a function without them cannot compile.
 */
export function awsCompilerTargets(config: Config, prefix: string = config.STATE_MACHINE_PREFIX ?? `stepwise-${config.STEPWISE_STAGE}`): CompilerTargets {
  if (!config.TASK_RUNNER_ARN || !config.STATE_MACHINE_ARN_PREFIX) throw new Error('TASK_RUNNER_ARN and STATE_MACHINE_ARN_PREFIX are required to compile workflows');
  // generic/ci run in the stage's CodeBuild project on AWS (docs/api.md, "Jobs").
  const [, partition = 'aws', , region = config.AWS_REGION, account = ''] = config.STATE_MACHINE_ARN_PREFIX.split(':');
  // ml_training trains in SageMaker with the stage's role and bucket (docs/deploy.md, "ML training").
  const training = { roleArn: `arn:${partition}:iam::${account}:role/${sageMakerRoleName(prefix)}`, bucket: dataBucketName(prefix, account), region };
  return { taskRunnerArn: config.TASK_RUNNER_ARN, stateMachineArnPrefix: config.STATE_MACHINE_ARN_PREFIX, partition, jobsProject: jobsProjectName(prefix), training };
}

/**
 * The AWS platform (CDK sets STEPWISE_MODE=aws on every function it deploys, and these adapters are
 * what that means). Each adapter module, and its SDK client, is imported on first use, so a function
 * loads only what its requests need; the adapters' code is what lib/definitions/capabilities.ts
 * names, and the deploy check simulates their calls against each function's policies.
 */
export function awsPlatform(config: Config): Platform {
  const clients = awsClients(config.AWS_REGION);
  const gatewayKeys = lazy(async () => {
    const free = required(config.USAGE_PLAN_FREE_NAME, 'USAGE_PLAN_FREE_NAME', 'to create accounts');
    const enterprise = required(config.USAGE_PLAN_ENTERPRISE_NAME, 'USAGE_PLAN_ENTERPRISE_NAME', 'to create accounts');
    const [{ ApiGatewayKeys }, client] = await Promise.all([import('../adapters/aws/api-gateway-keys.ts'), clients.apiGateway()]);
    return new ApiGatewayKeys(client, { stage: config.STEPWISE_STAGE, usagePlanNames: { free, enterprise } });
  });
  const deleteMachine = stepFunctionsMachineDeleter(clients.stepFunctions);
  return {
    name: 'aws',
    logger: createJsonLogger(config.LOG_LEVEL),
    // AWS stages: https to public addresses only.
    network: { allowLoopback: false, requireHttps: true, reservedPorts: config.reservedPorts },
    timeScale: 1,
    // Only functions with tokens:verify read keys, and those cannot start without JWKS_SECRET_ARN.
    signingKeys: () => new SecretsManagerSigningKeys(clients.secretsManager, config.JWKS_SECRET_ARN ?? '', config.SIGNING_KEY_SECRET_ARN),
    // The store loads the SDK itself on first use.
    secretStore: (metadata) => new SecretsManagerSecretStore(clients.secretsManager, metadata, { stage: config.STEPWISE_STAGE, kmsKeyId: config.SECRETS_KMS_KEY_ID }),
    deleteMachine: (arn) => deleteMachine(arn),
    gatewayKeys: (): GatewayKeys => ({
      provision: async (account) => (await gatewayKeys()).provision(account),
      changePlan: async (keyId, from, to) => (await gatewayKeys()).changePlan(keyId, from, to),
      remove: async (keyId) => (await gatewayKeys()).remove(keyId),
    }),
    engine: () => {
      const load = lazy(async () => new (await import('../adapters/aws/step-functions-engine.ts')).StepFunctionsEngine(clients.stepFunctionsRuns));
      return {
        start: async (i) => (await load()).start(i),
        stop: async (a, r) => (await load()).stop(a, r),
        redrive: async (a) => (await load()).redrive(a),
      };
    },
    publisher: () => {
      const eventBusName = required(config.EVENT_BUS_NAME, 'EVENT_BUS_NAME', 'to publish domain events');
      const load = lazy(async () => new (await import('../adapters/aws/eventbridge-publisher.ts')).EventBridgePublisher(clients.eventBridge, { eventBusName }));
      return { publish: async (events) => (await load()).publish(events) };
    },
    deliveryQueue: () => {
      const load = lazy(async () => {
        const url = required(config.WEBHOOK_QUEUE_URL, 'WEBHOOK_QUEUE_URL', 'to enqueue webhook deliveries');
        return new (await import('../adapters/aws/sqs-delivery-queue.ts')).SqsDeliveryQueue(clients.sqs, url);
      });
      return { send: async (messages) => (await load()).send(messages) };
    },
    schedules: (toSchedulerCron) => {
      const load = lazy(async () => {
        const groupName = required(config.SCHEDULE_GROUP_NAME, 'SCHEDULE_GROUP_NAME', 'to manage schedule triggers');
        const roleArn = required(config.SCHEDULER_ROLE_ARN, 'SCHEDULER_ROLE_ARN', 'to manage schedule triggers');
        const targetArn = required(config.SCHEDULED_RUN_ARN, 'SCHEDULED_RUN_ARN', 'to manage schedule triggers');
        const [{ EventBridgeSchedules }, client] = await Promise.all([import('../adapters/aws/eventbridge-schedules.ts'), clients.scheduler()]);
        return new EventBridgeSchedules(client, { groupName, roleArn, targetArn, toSchedulerCron });
      });
      return {
        put: async (spec) => (await load()).put(spec),
        remove: async (workflowId) => (await load()).remove(workflowId),
      };
    },
    provisioner: (namePrefix) => {
      const load = lazy(async () => {
        const roleArn = required(config.STATE_MACHINE_ROLE_ARN, 'STATE_MACHINE_ROLE_ARN', 'to provision workflows');
        const logGroupArn = required(config.STATE_MACHINE_LOG_GROUP_ARN, 'STATE_MACHINE_LOG_GROUP_ARN', 'to provision workflows');
        const [{ StepFunctionsProvisioner }, sfn] = await Promise.all([import('../adapters/aws/step-functions-provisioner.ts'), clients.stepFunctions()]);
        const logger = createJsonLogger(config.LOG_LEVEL);
        return new StepFunctionsProvisioner(sfn, {
          namePrefix,
          roleArn,
          logGroupArn,
          onPruneError: (error, stateMachineArn) => logger.warn('pruning old state machine versions failed; the next publish retries', { state_machine_arn: stateMachineArn, error: String(error) }),
        });
      });
      return {
        publish: async (input) => (await load()).publish(input),
        remove: async (machine) => (await load()).remove(machine),
      };
    },
    compilerTargets: (prefix) => awsCompilerTargets(config, prefix),
    lambdaInvoker: () => {
      const load = lazy(async () => new (await import('../adapters/aws/lambda-invoker.ts')).AwsLambdaInvoker(clients.lambda));
      return { invoke: async (functionArn, payload, signal) => (await load()).invoke(functionArn, payload, signal) };
    },
    commands: () => undefined,
    taskTokens: (): TaskTokens => {
      const load = lazy(async () => new (await import('../adapters/aws/step-functions-task-tokens.ts')).StepFunctionsTaskTokens(clients.stepFunctions));
      return { succeed: async (token, output) => (await load()).succeed(token, output), fail: async (token, error, cause) => (await load()).fail(token, error, cause) };
    },
    jobLogs: (): JobLogs => {
      const load = lazy(async () => new (await import('../adapters/aws/cloudwatch-job-logs.ts')).CloudWatchJobLogs(clients.cloudWatchLogs));
      return { tail: async (location, maxBytes) => (await load()).tail(location, maxBytes) };
    },
    apiDocument: async () => readBundledApiDocument(),
    // Without a sender identity the stage has no SES grant either (lib/workflow-stack.ts): send_email then fails, named.
    mailSender: (): MailSender | undefined => {
      const from = config.EMAIL_SENDER;
      if (!from) return undefined;
      const load = lazy(async () => new (await import('../adapters/aws/ses-mail-sender.ts')).SesMailSender(clients.sesV2, from));
      return { transport: 'ses', send: async (accountId, email) => (await load()).send(accountId, email) };
    },
    training: () => undefined,
    localPostgres: () => undefined,
    livePusher: () => {
      const load = lazy(async () => {
        const endpoint = required(config.LIVE_CALLBACK_URL, 'LIVE_CALLBACK_URL', 'to push live updates');
        return new (await import('../adapters/aws/api-gateway-live-pusher.ts')).ApiGatewayLivePusher(clients.managementApi(endpoint));
      });
      return {
        push: async (connectionId, message) => (await load()).push(connectionId, message),
        disconnect: async (connectionId) => (await load()).disconnect(connectionId),
      };
    },
  };
}

/**
 * A deployed function's Stepwise, built at cold start from its environment: the configuration is
 * checked against the function's capabilities (lib/definitions/capabilities.ts) before the
 * handler exists, so a function deployed without a setting it needs never serves a request.
 * `functionKey` is the function's construct path inside the stage (`Api/TasksFunction`).
 */
export function lambdaStepwise(functionKey: string, env: Readonly<Record<string, string | undefined>> = process.env): Stepwise {
  const capabilities = FUNCTION_CAPABILITIES[functionKey];
  if (!capabilities) throw new Error(`No capabilities are declared for ${functionKey} (lib/definitions/capabilities.ts)`);
  const config = parseConfig(env, capabilities);
  return createStepwise(config, awsPlatform(config));
}
