import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WORKFLOW_TRIGGER_EVENTS } from '../definitions/event-patterns.ts';
import { stageNames } from '../definitions/names.ts';
import type { StageConfig } from '../stage-config.ts';
import { grantTableAccess } from '../table-access.ts';
import { StepwiseFunction } from './stepwise-function.ts';

/**
 * Names fixed at synth time, so the API functions can be told where schedules live without a
 * reference to this construct (no cross-stack export, no cycle): the same trick as the task runner's name.
 */
export function triggerResourceNames(config: Pick<StageConfig, 'stage'>) {
  const names = stageNames(config.stage);
  return {
    /** One Scheduler group per stage; IAM confines schedule management to it. */
    scheduleGroupName: names.scheduleGroupName,
    /** The role Scheduler assumes to invoke the scheduled-run function. */
    schedulerRoleName: names.schedulerRoleName,
    /** The target of every schedule (functions/scheduled-run). */
    scheduledRunName: names.scheduledRunName,
  };
}

/** SCHEDULE_GROUP_NAME, SCHEDULER_ROLE_ARN and SCHEDULED_RUN_ARN for a function in `stack` that manages schedules. */
export function scheduleTriggerEnvironment(stack: Stack, config: Pick<StageConfig, 'stage'>): Record<string, string> {
  const names = triggerResourceNames(config);
  return {
    SCHEDULE_GROUP_NAME: names.scheduleGroupName,
    SCHEDULER_ROLE_ARN: stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: names.schedulerRoleName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    SCHEDULED_RUN_ARN: stack.formatArn({ service: 'lambda', resource: 'function', resourceName: names.scheduledRunName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
  };
}

const nagArn = (service: string, resource: string) => `Resource::arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}`;

/**
 * Create, update and delete schedules only in the stage's group, and hand Scheduler only the
 * scheduler role (iam:PassRole limited to scheduler.amazonaws.com). `actions` narrows it further
 * (the scheduled-run function only deletes schedules that outlived their workflow).
 */
export function grantScheduleManagement(fn: StepwiseFunction, config: Pick<StageConfig, 'stage'>, actions: readonly string[] = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule']): void {
  const stack = Stack.of(fn);
  const names = triggerResourceNames(config);
  const schedules = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${names.scheduleGroupName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const passes = actions.includes('scheduler:CreateSchedule') || actions.includes('scheduler:UpdateSchedule');
  const policy = new iam.Policy(fn, 'ScheduleTriggers', {
    statements: [
      new iam.PolicyStatement({ actions: [...actions], resources: [schedules] }),
      ...(passes
        ? [
            new iam.PolicyStatement({
              actions: ['iam:PassRole'],
              resources: [scheduleTriggerEnvironment(stack, config).SCHEDULER_ROLE_ARN!],
              conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
            }),
          ]
        : []),
    ],
  });
  fn.attachPolicy(policy);
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${nagArn('scheduler', `schedule/${names.scheduleGroupName}/*`)}]`,
    reason: passes
      ? 'Schedule triggers are created at run time, one per workflow, named after the workflow id inside the stage’s own schedule group `stepwise-<stage>`; the pattern admits only that group’s schedules, and the only role that can be passed to them is the stage’s scheduler role.'
      : 'A schedule whose workflow was deleted with its account removes itself when it next fires; deleting is the only action, limited to schedules in this stage’s group `stepwise-<stage>`, whose names (workflow ids) exist only at run time.',
  });
}

/** Start runs on this stage's machines (their `live` aliases): what ExecutionService.start needs on AWS. */
function grantRunStarts(fn: StepwiseFunction, machineArnPattern: string, machineNamePrefix: string, why: string): void {
  const policy = new iam.Policy(fn, 'StateMachineRuns', {
    statements: [new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [machineArnPattern, `${machineArnPattern}:*`] })],
  });
  fn.attachPolicy(policy);
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${nagArn('states', `stateMachine:${machineNamePrefix}*`)}]`,
    reason: `${why} starts runs of workflows whose machines are created at run time (\`stepwise-<stage>-wf_<id>\`); StartExecution is its only Step Functions action, on this stage’s machines only.`,
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${nagArn('states', `stateMachine:${machineNamePrefix}*`)}:*]`,
    reason: `${why} starts each run on the machine’s \`live\` alias (\`<machine>:live\`), whose ARN is the machine’s plus a qualifier; the suffix admits only aliases and versions of this stage’s machines.`,
  });
}

export interface WorkflowTriggersProps {
  readonly config: StageConfig;
  readonly table: ITable;
  /** The stage's domain event bus: event triggers listen on it. */
  readonly bus: IEventBus;
}

/**
 * Workflow triggers on AWS (docs/deploy.md#triggers): the stage's EventBridge Scheduler group with
 * the role its schedules invoke with, the scheduled-run function every schedule targets, and the
 * rule that sends each domain event to the trigger dispatcher. Schedules themselves are created at
 * run time by the workflows function, one per schedule-triggered workflow.
 */
export class WorkflowTriggers extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  readonly schedulerRole: iam.Role;
  readonly scheduledRun: StepwiseFunction;
  readonly dispatcher: StepwiseFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: WorkflowTriggersProps) {
    super(scope, id);
    const { config, table } = props;
    const names = triggerResourceNames(config);
    const stack = Stack.of(this);
    // The generated machines' names, as lib/definitions/names.ts fixes them: `stepwise-<stage>-wf_<id>`.
    const { machineNamePrefix } = stageNames(config.stage);
    const machineArnPattern = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: `${machineNamePrefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    // Schedules are derived from the workflows in the table; they go with the stack, whatever the stage keeps.
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', { scheduleGroupName: names.scheduleGroupName, removalPolicy: RemovalPolicy.DESTROY });

    this.scheduledRun = new StepwiseFunction(this, 'ScheduledRun', {
      config,
      entry: 'functions/scheduled-run/handler.ts',
      functionName: names.scheduledRunName,
      description: `Stepwise ${config.stage}: starts the run of a schedule-triggered workflow`,
      environment: { TABLE_NAME: table.tableName, ...scheduleTriggerEnvironment(stack, config) },
    });
    grantTableAccess(table, this.scheduledRun, 'read-write');
    grantRunStarts(this.scheduledRun, machineArnPattern, machineNamePrefix, 'The scheduled-run target');
    grantScheduleManagement(this.scheduledRun, config, ['scheduler:DeleteSchedule']);

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      roleName: names.schedulerRoleName,
      description: `EventBridge Scheduler invokes the Stepwise ${config.stage} scheduled-run function with this role`,
      // Confused-deputy guard: only Scheduler acting for this account may assume it.
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
    });
    // Only the scheduled-run function, unqualified: Scheduler invokes the target ARN the workflows function names.
    this.schedulerRole.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.scheduledRun.function.functionArn] }));

    this.dispatcher = new StepwiseFunction(this, 'TriggerDispatcher', {
      config,
      entry: 'functions/trigger-dispatcher/handler.ts',
      description: `Stepwise ${config.stage}: starts event-triggered workflows for each domain event`,
      environment: { TABLE_NAME: table.tableName },
    });
    grantTableAccess(table, this.dispatcher, 'read-write');
    grantRunStarts(this.dispatcher, machineArnPattern, machineNamePrefix, 'The trigger dispatcher');

    const deadLetters = new Queue(this, 'TriggerDispatchDlq', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the trigger rule’s Lambda target: a domain event lands here only after EventBridge retried the dispatcher for 24 hours, and is replayed by hand (the event id keeps a replay from starting a run twice).',
    });
    this.rule = new Rule(this, 'TriggerRule', {
      description: `Domain events of Stepwise ${config.stage} to the event-trigger dispatcher`,
      eventBus: props.bus,
      eventPattern: { source: [...WORKFLOW_TRIGGER_EVENTS.source] },
      targets: [new LambdaFunction(this.dispatcher.function, { deadLetterQueue: deadLetters, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });
  }
}
