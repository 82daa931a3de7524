import { ArnFormat, CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LOG_DELIVERY_ACTIONS } from './constructs/step-functions-logging.ts';
import type { StageConfig } from './stage-config.ts';

export interface WorkflowStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * What every generated state machine shares. The machines themselves are created at run time by
 * the workflows API (one Standard machine per workflow, DESIGN §8), so this stack holds their
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
  /** ARN pattern matching exactly this stage's machines (and their versions and aliases). */
  readonly machineArnPattern: string;
  readonly outputs: Readonly<Record<'eventBusName' | 'machineRoleArn', CfnOutput>>;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.machinePrefix = `stepwise-${config.stage}`;
    this.taskRunnerName = `${this.machinePrefix}-task-runner`;
    this.taskRunnerArn = this.formatArn({ service: 'lambda', resource: 'function', resourceName: this.taskRunnerName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.machineArnPattern = this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: `${this.machinePrefix}-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    this.eventBus = new EventBus(this, 'EventBus', { eventBusName: `${this.machinePrefix}-events` });

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
            new PolicyStatement({
              actions: ['states:DescribeExecution', 'states:StopExecution'],
              resources: [this.formatArn({ service: 'states', resource: 'execution', resourceName: `${this.machinePrefix}-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
            }),
            new PolicyStatement({
              actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
              resources: [this.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule' })],
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
      `Resource::${arnOf('states', `stateMachine:${this.machinePrefix}-*`)}`,
      'Machines are created at run time by the workflows API, one per workflow, so their names are only known as `stepwise-<stage>-<workflow id>`; the pattern matches exactly this stage’s generated machines (for subworkflow starts).',
    );
    acknowledge(
      `Resource::${arnOf('states', `execution:${this.machinePrefix}-*`)}`,
      'Subworkflow executions get run-time names under this stage’s machines; the pattern lets a machine describe or stop only executions of `stepwise-<stage>-*` machines.',
    );
    this.outputs = {
      eventBusName: new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName }),
      machineRoleArn: new CfnOutput(this, 'MachineRoleArn', { value: role.roleArn }),
    };
  }
}
