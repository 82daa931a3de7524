import { Duration, Validations } from 'aws-cdk-lib';
import { BuildEnvironmentVariableType, BuildSpec, ComputeType, LinuxBuildImage, Project } from 'aws-cdk-lib/aws-codebuild';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';

export interface JobsProjectProps {
  readonly config: StageConfig;
  /** `stepwise-<stage>-jobs` (lib/definitions/names.ts): compiled machines name it before it exists. */
  readonly projectName: string;
}

/** The longest a job may run: the state's TimeoutSecondsPath stops it sooner (statemachines/jobs.ts MAX_JOB_TIMEOUT_SECONDS). */
export const JOB_TIMEOUT = Duration.hours(8);

/**
 * The stage's one CodeBuild project that runs `generic` and `ci` nodes (docs/deploy.md, "Jobs"). Every
 * build comes from a state machine's `codebuild:startBuild.sync` state with the buildspec and
 * variables of its node; the project's own buildspec only refuses to run, so a build started any
 * other way does nothing.
 *
 * Its role may write the project's logs and nothing else: a job's command runs with the role's
 * credentials, so the role holds no secret, table, bucket or API access that one account's job could
 * turn against another's.
 */
export class JobsProject extends Construct {
  readonly project: Project;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: JobsProjectProps) {
    super(scope, id);
    const { config, projectName } = props;
    this.logGroup = new LogGroup(this, 'Logs', { logGroupName: `/aws/codebuild/${projectName}`, retention: config.logRetention, removalPolicy: config.removalPolicy });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('codebuild.amazonaws.com'),
      description: `Stepwise ${config.stage} jobs (generic and ci nodes): writes its build logs, nothing else`,
    });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }));
    this.project = new Project(this, 'Project', {
      projectName,
      description: `Stepwise ${config.stage}: runs generic and ci workflow nodes (started by the workflows' state machines)`,
      // CodeBuild would otherwise add report-group and default-log-group grants to the role.
      role: this.role.withoutPolicyUpdates(),
      buildSpec: BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['echo "Stepwise jobs run only with the buildspec of their workflow node" >&2', 'exit 1'] } } }),
      environment: {
        buildImage: LinuxBuildImage.STANDARD_7_0,
        computeType: ComputeType.SMALL,
        privileged: false,
        environmentVariables: { STEPWISE_STAGE: { type: BuildEnvironmentVariableType.PLAINTEXT, value: config.stage } },
      },
      timeout: JOB_TIMEOUT,
      queuedTimeout: Duration.hours(1),
      logging: { cloudWatch: { logGroup: this.logGroup } },
    });
    Validations.of(this.project).acknowledge({
      id: 'AwsSolutions-CB4',
      reason: 'The project has no source, artifacts or cache: a build only runs a node’s command and writes its log to CloudWatch Logs (the stage’s retention), so there is nothing for a customer-managed KMS key to encrypt.',
    });
  }
}
