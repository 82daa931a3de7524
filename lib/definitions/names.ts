/**
 * The names that tie a stage's resources together, fixed at synth time so that a policy, an
 * environment variable and a function can all name a resource before it exists (the task runner,
 * the run-time state machines, the schedule group). Pure data: CDK, the deploy check and the
 * stage-cleanup command read it (docs/deploy.md#names-and-isolation).
 *
 * Stage names are `[a-z][a-z0-9-]*` (lib/stage-config.ts): they never contain `_`. Every pattern a
 * policy matches ends its stage part on a `_` or on an exact name, so stage `pr`'s patterns never
 * match stage `pr-42`'s resources.
 */

/** Workflow ids are `wf_<ULID>` (functions/core/ids.ts); a test keeps the two in step. */
export const WORKFLOW_ID_PREFIX = 'wf_';

export interface StageNames {
  /** `stepwise-<stage>`: every run-time name starts with it. */
  readonly prefix: string;
  /** Run-time machines are `<prefix>-<workflow id>`, so this prefix (ending in `wf_`) is what IAM patterns and rules match. */
  readonly machineNamePrefix: string;
  readonly taskRunnerName: string;
  readonly eventBusName: string;
  readonly scheduleGroupName: string;
  readonly schedulerRoleName: string;
  readonly scheduledRunName: string;
  readonly webhookQueueName: string;
  /** Account secrets are `stepwise/<stage>/<account id>/<KEY>` (docs/secrets.md). */
  readonly secretNamePrefix: string;
  /** Per-account API Gateway keys are named `<prefix>-<account id>` (functions/adapters/aws/api-gateway-keys.ts). */
  readonly apiKeyNamePrefix: string;
  /** The CodeBuild project generic and ci nodes run in (statemachines/jobs.ts). */
  readonly jobsProjectName: string;
}

/** `<prefix>-jobs`: what compiled machines name and CDK creates (docs/deploy.md, "Jobs"). */
export const jobsProjectName = (prefix: string) => `${prefix}-jobs`;

export function stageNames(stage: string): StageNames {
  const prefix = `stepwise-${stage}`;
  return {
    prefix,
    machineNamePrefix: `${prefix}-${WORKFLOW_ID_PREFIX}`,
    taskRunnerName: `${prefix}-task-runner`,
    eventBusName: `${prefix}-events`,
    scheduleGroupName: prefix,
    schedulerRoleName: `${prefix}-scheduler`,
    scheduledRunName: `${prefix}-scheduled-run`,
    webhookQueueName: `${prefix}-webhook-deliveries`,
    secretNamePrefix: `stepwise/${stage}/`,
    apiKeyNamePrefix: `${prefix}-acct_`,
    jobsProjectName: jobsProjectName(prefix),
  };
}

/** The SageMaker execution role ml_training jobs run with (docs/deploy.md, "ML training"). */
export const sageMakerRoleName = (prefix: string) => `${prefix}-sagemaker`;
/**
 * The stage's data and model bucket: datasets anywhere in it, models under `models/`. Named by the account,
 * not the region (a 24-character stage still fits S3's 63), so one stage name per account.
 */
export const dataBucketName = (prefix: string, account: string) => `${prefix}-data-${account}`;
/** Where models go in the stage's data bucket; datasets may be anywhere else in it. */
export const MODEL_PREFIX = 'models/';
/** Where etl and fetch_data read and write in the stage's data bucket: `etl/<account>/…` (the runner checks the account part). */
export const ETL_PREFIX = 'etl/';
/**
 * Accounts' own DynamoDB tables etl and fetch_data may use: `<prefix>-data_<account>-…` (the runner checks
 * the account part). It ends on `_`, so stage `pr`'s `stepwise-pr-data_*` never matches stage `pr-data`'s tables.
 */
export const dataTablePrefix = (prefix: string) => `${prefix}-data_`;
