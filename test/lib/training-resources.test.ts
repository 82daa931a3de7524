import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataStack } from '../../lib/data-stack.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { WorkflowStack } from '../../lib/workflow-stack.ts';
import { logicalId, resources, skipBuiltinValidation, type Statement } from './helpers.ts';

describe('ml_training on AWS: the data and model bucket, the SageMaker role, the machines’ grants', () => {
  let template: Template;
  let stack: WorkflowStack;

  beforeAll(() => {
    skipBuiltinValidation();
    const app = new App();
    const config = stageConfig('dev');
    const data = new DataStack(app, 'Stepwise-dev-Data', { config });
    stack = new WorkflowStack(app, 'Stepwise-dev-Workflow', { config, table: data.table, secretsKey: data.secretsKey });
    template = Template.fromStack(stack);
  });
  afterAll(() => vi.unstubAllEnvs());

  const inline = (roleId: string): Statement[] =>
    ((resources(template, 'AWS::IAM::Role')[roleId]!.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
  const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

  it('the bucket is encrypted, private, TLS only, versioned, with lifecycle rules for old versions and abandoned uploads', () => {
    const bucket = resources(template, 'AWS::S3::Bucket')[logicalId(stack.training.bucket)]!.Properties;
    expect(bucket).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: expect.arrayContaining([expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }), expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })]) },
    });
    const policy = Object.values(resources(template, 'AWS::S3::BucketPolicy'))[0]!.Properties.PolicyDocument as { Statement: Statement[] };
    expect(JSON.stringify(policy.Statement)).toContain('"aws:SecureTransport":"false"');
  });

  it('the SageMaker role, assumable by SageMaker of this account only, reads the bucket and writes only models/', () => {
    const id = logicalId(stack.training.role);
    const role = resources(template, 'AWS::IAM::Role')[id]!.Properties;
    expect(role.RoleName).toBe('stepwise-dev-sagemaker');
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain('sagemaker.amazonaws.com');
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain('aws:SourceAccount');
    const statements = inline(id);
    const put = statements.find((s) => actions(s).includes('s3:PutObject'))!;
    expect(JSON.stringify(put.Resource)).toContain('/models/*');
    expect(statements.flatMap(actions).filter((a) => a.startsWith('s3:')).toSorted()).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(statements.flatMap(actions).some((a) => a.startsWith('secretsmanager:') || a.startsWith('dynamodb:') || a === 's3:*')).toBe(false);
  });

  it('the machines’ role may create, describe and stop sw-* training jobs, pass only the SageMaker role to SageMaker, and manage the .sync rule', () => {
    const statements = inline(logicalId(stack.machineRole as never));
    const sagemaker = statements.filter((s) => actions(s).some((a) => a.startsWith('sagemaker:')));
    expect(sagemaker).toHaveLength(1);
    expect(actions(sagemaker[0]!).toSorted()).toEqual(['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob']);
    expect(JSON.stringify(sagemaker[0]!.Resource)).toContain(':training-job/sw-*');
    const pass = statements.filter((s) => actions(s).includes('iam:PassRole'));
    expect(pass).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [logicalId(stack.training.role), 'Arn'] }, Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } })]);
    const rule = statements.find((s) => JSON.stringify(s.Resource).includes('StepFunctionsGetEventsForSageMakerTrainingJobsRule'))!;
    expect(actions(rule).toSorted()).toEqual(['events:DescribeRule', 'events:PutRule', 'events:PutTargets']);
  });
});
