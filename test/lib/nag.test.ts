import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageConfig } from '../../lib/stage-config.ts';
import { createStepwiseStacks } from '../../lib/stepwise.ts';

/** The key collections of the account-key policy (lib/api-stack.ts grantGatewayKeyManagement). */
const GATEWAY_KEY_WILDCARDS =
  /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::\/(apikeys\/\*|tags\/\*|usageplans\/<Api(Free|Enterprise)UsagePlan[0-9A-F]{8}>\/keys\/\*)\]$/;

/** The live-updates notifier's connection collections (lib/constructs/live-updates.ts grantPosting). */
const LIVE_CONNECTION_WILDCARDS = /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<LiveApi[0-9A-F]{8}>\/prod\/(POST|DELETE)\/@connections\/\*\]$/;

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

// prod (what customers run) with an origin configured, so the CORS preflight methods are checked too.
let app: App;

beforeAll(() => {
  app = new App();
  createStepwiseStacks(app, stageConfig('prod', { corsOrigins: 'https://app.example.com' }));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}, 120_000);

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([qualified, reason]) => ({
          path: construct.node.path,
          id: qualified.replace(/^[A-Za-z]+::/, ''),
          reason,
        })),
      ),
  );
}

/** Findings as if nothing were acknowledged: cdk-nag reads acknowledgements under this key. */
function findingsIgnoringAcknowledgements() {
  const holder = Validations as unknown as { ACKNOWLEDGED_RULES_METADATA_KEY: string };
  const key = holder.ACKNOWLEDGED_RULES_METADATA_KEY;
  holder.ACKNOWLEDGED_RULES_METADATA_KEY = 'stepwise:test:acknowledgements-disabled';
  try {
    return new AwsSolutionsChecks().validateScope(app).violations;
  } finally {
    holder.ACKNOWLEDGED_RULES_METADATA_KEY = key;
  }
}

const TRAINING_JOBS = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:training-job/sw-*]';
/** etl: objects under etl/ of the stage's data bucket, and accounts' own data tables (stepwise-<stage>-data_*), in the task runner's policy. */
const ETL_WILDCARDS = /^AwsSolutions-IAM5\[Resource::(<TrainingDataBucket[0-9A-F]{8}\.Arn>\/etl\/\*|arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table\/stepwise-prod-data_\*)\]$/;
const TRAINING_ROLE_WILDCARDS = /^AwsSolutions-IAM5\[Resource::(<TrainingDataBucket[0-9A-F]{8}\.Arn>\/(models\/)?\*|arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:\/aws\/sagemaker\/TrainingJobs:\*)\]$/;

describe('cdk-nag AwsSolutions', () => {
  it('synthesizes with the checks registered (unacknowledged errors would fail synth)', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('leaves no unacknowledged error or warning', () => {
    const { violations } = new AwsSolutionsChecks().validateScope(app);
    const summary = violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(summary).toEqual([]);
  });

  it('acknowledges only findings that really occur (no stale acknowledgements)', () => {
    const raw = findingsIgnoringAcknowledgements();
    for (const ack of acknowledgements(app)) {
      const hit = raw.some(
        (v) =>
          v.ruleName === ack.id &&
          v.violatingResources.some((r) => r.constructPath === ack.path || (r.constructPath ?? '').startsWith(`${ack.path}/`)),
      );
      expect(hit, `${ack.id} at ${ack.path}`).toBe(true);
    }
  });

  it('gives every acknowledgement a specific reason', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    const reasonsByRule = new Map<string, Set<string>>();
    for (const ack of acks) {
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(120);
      expect(ack.reason).not.toMatch(/^(todo|n\/a|ok|suppressed|not needed|false positive|acceptable)\b/i);
      reasonsByRule.set(ack.id, (reasonsByRule.get(ack.id) ?? new Set()).add(ack.reason));
    }
    // The same sentence may not be reused to wave through a different rule.
    const reasons = [...reasonsByRule.values()].flatMap((s) => [...s]);
    expect(new Set(reasons).size).toBe(reasons.length);
  });

  it('acknowledges wildcard IAM only for X-Ray, log delivery, task tokens, run-time API keys and run-time state machines, finding by finding', () => {
    const iam5 = acknowledgements(app).filter((a) => a.id.startsWith('AwsSolutions-IAM5'));
    expect(iam5.length).toBeGreaterThan(0);
    // Per-account usage-plan keys are created at run time, so their ids cannot be named at deploy time.
    // Generated state machines are named `stepwise-<stage>-<workflow id>` at run time.
    const MACHINE_WILDCARDS = /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:(states|lambda):<AWS::Region>:<AWS::AccountId>:(stateMachine|execution|function):stepwise-prod-[^\]]*\]$/;
    const misplaced = iam5.filter((ack) => {
      // The change-stream function's default policy holds dynamodb:ListStreams, which only takes "*"; the task
      // runner's states:SendTaskSuccess (the gated layout's gates) and the executions function's approval token calls have no resource-level permissions either.
      // The SageMaker role's cloudwatch:PutMetricData (no resource-level permissions; namespace condition).
      if (ack.id === 'AwsSolutions-IAM5[Resource::*]') return !/\/(XRayWrite|WorkflowsFunction\/StateMachines|MachineRole|AccountsFunction\/AccountSecrets|ChangeEvents\/EventStream\/Role\/DefaultPolicy|TaskRunnerAccess|Training\/SageMakerRole|ExecutionsFunction\/ApprovalDecisions)$/.test(ack.path);
      // ml_training: SageMaker reads datasets and writes models (models/*) of the stage's bucket, and logs per job.
      if (TRAINING_ROLE_WILDCARDS.test(ack.id)) return !ack.path.endsWith('/Training/SageMakerRole');
      // etl reads and writes users' objects and tables named at run time, inside the stage's boundaries.
      if (ETL_WILDCARDS.test(ack.id)) return !ack.path.endsWith('/TaskRunnerAccess');
      // Machines start training jobs named sw-<uuid> at run time.
      if (ack.id === TRAINING_JOBS) return !ack.path.endsWith('/MachineRole');
      // The accounts function writes account secrets; the task runner reads them for {{secrets.KEY}}.
      if (ack.id.includes(':secret:stepwise/prod/*')) return !/\/(AccountsFunction\/AccountSecrets|TaskRunnerAccess)$/.test(ack.path);
      // lambda nodes may invoke only functions under the stage's opt-in prefix.
      if (ack.id.includes(':function:stepwise-prod-fn_*')) return !ack.path.endsWith('/TaskRunnerAccess');
      // Triggers start runs too: the hook route (TriggersFunction), the schedule target and the event dispatcher.
      if (MACHINE_WILDCARDS.test(ack.id)) return !/\/((Workflows|Executions|Triggers|Chat)Function\/StateMachine(s|Runs)|Triggers\/(ScheduledRun|TriggerDispatcher)\/StateMachineRuns|AccountsFunction\/AccountMachines|MachineRole)$/.test(ack.path);
      // Schedule triggers: created at run time in the stage's group by the workflows function; the target deletes orphans.
      if (ack.id.includes(':schedule/stepwise-prod/*')) return !/\/(WorkflowsFunction|Triggers\/ScheduledRun)\/ScheduleTriggers$/.test(ack.path);
      // Live updates: the notifier posts to (and closes) WebSocket connections whose ids API Gateway assigns at run time.
      if (LIVE_CONNECTION_WILDCARDS.test(ack.id)) return !ack.path.endsWith('/Live/ManageConnections');
      return !(/\/(Auth|Accounts)Function\/GatewayKeys$/.test(ack.path) && GATEWAY_KEY_WILDCARDS.test(ack.id));
    });
    expect(misplaced).toEqual([]);
    for (const ack of acknowledgements(app).filter((a) => a.id.startsWith('AwsSolutions-IAM4'))) {
      expect(ack.id).toMatch(/^AwsSolutions-IAM4\[Policy::.+AmazonAPIGatewayPushToCloudWatchLogs\]$/);
    }
  });

  it('acknowledges exactly the reviewed set of rules', () => {
    expect([...new Set(acknowledgements(app).map((a) => a.id))].toSorted()).toEqual([
      'AwsSolutions-APIG2',
      'AwsSolutions-APIG3',
      'AwsSolutions-APIG4',
      // The jobs project has no source, artifacts or cache to encrypt (lib/constructs/jobs-project.ts).
      'AwsSolutions-CB4',
      'AwsSolutions-COG4',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'AwsSolutions-IAM5[Resource::*]',
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<TrainingDataBucket[0-9A-F]{8}\.Arn>\/\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<TrainingDataBucket[0-9A-F]{8}\.Arn>\/etl\/\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<TrainingDataBucket[0-9A-F]{8}\.Arn>\/models\/\*\]$/),
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/tags/*]',
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::\/usageplans\/<ApiEnterpriseUsagePlan[0-9A-F]{8}>\/keys\/\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::\/usageplans\/<ApiFreeUsagePlan[0-9A-F]{8}>\/keys\/\*\]$/),
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/stepwise-prod-data_*]',
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<LiveApi[0-9A-F]{8}>\/prod\/DELETE\/@connections\/\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<LiveApi[0-9A-F]{8}>\/prod\/POST\/@connections\/\*\]$/),
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:stepwise-prod-fn_*:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:stepwise-prod-fn_*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:stepwise-prod-task-runner:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/TrainingJobs:*]',
      TRAINING_JOBS,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/stepwise-prod/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:stepwise/prod/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:stepwise-prod-wf_*:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:stepwise-prod-wf_*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:stepwise-prod-wf_*:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:stepwise-prod-wf_*]',
      'AwsSolutions-L1',
      // The data and model bucket: written only by SageMaker jobs and operators (lib/constructs/training-resources.ts).
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
  });
});
