import type { MailSender, Outbox } from '../core/email/ports.ts';
import type { GatewayKeys } from '../core/auth/ports.ts';
import type { EventPublisher } from '../core/events/catalog.ts';
import type { ExecutionEngine } from '../core/executions/ports.ts';
import type { LivePusher } from '../core/live/ports.ts';
import type { Logger } from '../core/logger.ts';
import type { TaskTokens } from '../core/runner/dependency-gates.ts';
import type { CommandRunner, JobLogs, LambdaInvoker, ObjectStore } from '../core/runner/ports.ts';
import type { Trainer } from '../core/ml/training.ts';
import type { SecretStore } from '../core/secrets/ports.ts';
import type { ScheduleProvisioner } from '../core/triggers/ports.ts';
import type { DeliveryQueue } from '../core/webhooks/ports.ts';
import type { StateMachineProvisioner } from '../core/workflows/ports.ts';
import type { DynamoSecretMetadataRepository } from '../adapters/dynamodb/secret-metadata-repository.ts';
import type { SigningKeySource } from '../adapters/tokens/signing-keys.ts';

/** Reads the ASL a run executes (a published version's compiled definition), for engines that keep no machines. */
export type DefinitionSource = (accountId: string, workflowId: string, version: number) => Promise<string>;

/** Where compiled machines point: the task runner every Task state invokes and the machine ARNs (subworkflows). */
export interface CompilerTargets {
  readonly taskRunnerArn: string;
  readonly stateMachineArnPrefix: string;
  readonly partition: string;
  /** The stage's CodeBuild project generic/ci nodes run in (AWS); local mode's runner runs them itself. */
  readonly jobsProject?: string;
  /** AWS: where ml_training trains (SageMaker role, the stage's data bucket, the region's images). */
  readonly training?: { roleArn: string; bucket: string; region: string };
}

/** Which outbound HTTP (workflow nodes, webhooks) the instance allows (docs/api.md, "SSRF guard"). */
export interface NetworkPolicy {
  /** Loopback receivers (local mode: a developer's own servers), never Stepwise's own ports. */
  readonly allowLoopback: boolean;
  /** Webhook URLs must be https (AWS stages). */
  readonly requireHttps: boolean;
  /** Stepwise's own loopback ports: the API, DynamoDB Local, and every local helper server. */
  readonly reservedPorts: ReadonlySet<number>;
}

/**
 * What differs between AWS and local mode, and nothing else: the composition root
 * (functions/root/stepwise.ts) builds every service over these ports, so the same services run
 * on either (docs/architecture.md#platforms). `awsPlatform` (functions/root/aws.ts) loads each
 * adapter and its SDK client on first use; `localPlatform` (functions/root/local.ts) hands out
 * the local server's in-process parts. The root calls each member at most once per instance.
 */
export interface Platform {
  readonly name: 'aws' | 'local';
  /** The instance's logger (JSON lines on stdout in both). */
  readonly logger: Logger;
  readonly network: NetworkPolicy;
  /** Scales the webhook retry schedule (local mode's time scale; 1 on AWS). */
  readonly timeScale: number;
  /** Token signing and verification keys: Secrets Manager, or a file under the data dir. */
  signingKeys(): SigningKeySource;
  /** Account secret values: Secrets Manager, or AES-256-GCM in the table under a local key. */
  secretStore(metadata: DynamoSecretMetadataRepository): SecretStore;
  /** Deletes a workflow's state machine when its account goes (local mode keeps none). */
  deleteMachine(stateMachineArn: string): Promise<void>;
  /** Per-account usage-plan keys: API Gateway, or deterministic local names. */
  gatewayKeys(): GatewayKeys;
  /** Runs: Step Functions, or the local engine (which reads each run's ASL through `definitions`). */
  engine(definitions: DefinitionSource): ExecutionEngine;
  /** Domain events: EventBridge, or the local bus. */
  publisher(): EventPublisher;
  /** Webhook deliveries: SQS, or the local server's in-process queue. */
  deliveryQueue(): DeliveryQueue;
  /**
   * Schedule triggers: EventBridge Scheduler, or the local cron loop. The caller passes the cron
   * conversion (functions/core/triggers/cron.ts), so functions that keep no schedules never carry
   * the cron parser.
   */
  schedules(toSchedulerCron: (cron: string) => string): ScheduleProvisioner;
  /** Publishing compiled machines: Step Functions, or storing the ASL with the version. */
  provisioner(namePrefix: string): StateMachineProvisioner;
  compilerTargets(namePrefix: string): CompilerTargets;
  /** `lambda` workflow nodes: Lambda Invoke, or a clear refusal in local mode. */
  lambdaInvoker(): LambdaInvoker;
  /** generic/ci nodes run by the task runner itself: child processes in local mode (unless STEPWISE_LOCAL_JOBS=off); none on AWS, where CodeBuild runs them. */
  commands(): CommandRunner | undefined;
  /** A finished job's stdout and commit: its CodeBuild log on AWS; none locally (the runner saw the process). */
  jobLogs(): JobLogs | undefined;
  /** Opening a gated layout's gates: Step Functions' SendTaskSuccess, or the local engine's token registry. */
  taskTokens(): TaskTokens;
  /** Live updates to WebSocket connections: API Gateway's management API (local mode pushes on its own sockets). */
  livePusher(): LivePusher;
  /**
   * The OpenAPI document: on AWS the copy generated at synth and shipped with the system function
   * (lib/definitions/docs-assets.ts, API_DOCUMENT_FILE); in local mode built from the schemas.
   */
  apiDocument(): Promise<unknown>;
  /** send_email: SES on AWS; locally SMTP when SMTP_URL is set, else the table's outbox (given here). */
  mailSender(outbox: Outbox): MailSender | undefined;
  /**
   * ml_training trained by the task runner itself: local mode's trainer (the ml-* libraries) and its object store,
   * when the server runs one (S3_ENDPOINT). None on AWS: SageMaker trains, so the task runner Lambda never carries them.
   */
  training(): { trainer: Trainer; objects: ObjectStore } | undefined;
  /** Local mode's embedded Postgres (every account's `local` data source): where it listens, and since when. None on AWS. */
  localPostgres(): { url: string; since: string } | undefined;
}
