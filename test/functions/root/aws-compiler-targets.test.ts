import { describe, expect, it } from 'vitest';
import { awsCompilerTargets } from '../../../functions/root/aws.ts';
import { silentLogger } from '../../../functions/core/logger.ts';
import { parseConfig } from '../../../functions/root/config.ts';
import { localPlatform } from '../../../functions/root/local.ts';

const aws = (env: Record<string, string>) => parseConfig({ STEPWISE_STAGE: 'cn1', TABLE_NAME: 't', AWS_REGION: 'cn-north-1', ...env });

describe('awsCompilerTargets', () => {
  it('on AWS takes the task runner and machine ARN prefix CDK sets, with their real partition and account', () => {
    const config = aws({
      TASK_RUNNER_ARN: 'arn:aws-cn:lambda:cn-north-1:210987654321:function:stepwise-cn1-task-runner',
      STATE_MACHINE_ARN_PREFIX: 'arn:aws-cn:states:cn-north-1:210987654321:stateMachine:stepwise-cn1-',
    });
    const targets = awsCompilerTargets(config);
    expect(targets).toEqual({
      taskRunnerArn: 'arn:aws-cn:lambda:cn-north-1:210987654321:function:stepwise-cn1-task-runner',
      stateMachineArnPrefix: 'arn:aws-cn:states:cn-north-1:210987654321:stateMachine:stepwise-cn1-',
      partition: 'aws-cn',
      // generic and ci nodes run in the stage's CodeBuild project (lib/definitions/names.ts).
      jobsProject: 'stepwise-cn1-jobs',
      // ml_training nodes train in SageMaker with the stage's role, writing to its data bucket (lib/definitions/names.ts).
      training: { bucket: 'stepwise-cn1-data-210987654321', region: 'cn-north-1', roleArn: 'arn:aws-cn:iam::210987654321:role/stepwise-cn1-sagemaker' },
    });
    expect(JSON.stringify(targets)).not.toContain('000000000000');
  });

  it('in local mode names no jobs project: the runner itself runs generic and ci nodes', () => {
    const config = parseConfig({ TABLE_NAME: 't', DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' });
    expect(localPlatform(config, { logger: silentLogger, timeScale: 1 }).compilerTargets('stepwise-local')).not.toHaveProperty('jobsProject');
  });

  it('on AWS refuses to make up ARNs when CDK did not set them', () => {
    expect(() => awsCompilerTargets(aws({}))).toThrow(/STATE_MACHINE_ARN_PREFIX/);
  });

  it('rejects a prefix that is not a state machine ARN prefix', () => {
    expect(() => aws({ STATE_MACHINE_ARN_PREFIX: 'arn:aws:states:us-east-1:000:stateMachine:x' })).toThrow(/STATE_MACHINE_ARN_PREFIX/);
  });
});
