import { ArnFormat, Duration, Stack, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MODEL_PREFIX } from '../definitions/names.ts';

export interface TrainingResourcesProps {
  readonly bucketName: string;
  readonly roleName: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * ml_training on AWS (docs/deploy.md, "ML training"): the stage's data and model bucket and the role
 * SageMaker training jobs run with, which reads the bucket and writes only under `models/`.
 */
export class TrainingResources extends Construct {
  readonly bucket: Bucket;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: TrainingResourcesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.bucket = new Bucket(this, 'DataBucket', {
      bucketName: props.bucketName,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: props.removalPolicy,
      lifecycleRules: [
        // Retrained models replace their artifacts; old versions and abandoned uploads do not pile up.
        { id: 'noncurrent-versions', noncurrentVersionExpiration: Duration.days(30) },
        { id: 'incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Datasets and models are written only by SageMaker training jobs (their role below) and the stage operator; CloudTrail data events are the audit trail operators enable per stage, rather than a second logging bucket per stage.',
    });
    const logGroup = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/TrainingJobs', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.role = new Role(this, 'SageMakerRole', {
      roleName: props.roleName,
      assumedBy: new ServicePrincipal('sagemaker.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'SageMaker training jobs of Stepwise ml_training nodes: read datasets, write models',
      inlinePolicies: {
        training: new PolicyDocument({
          statements: [
            new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
            new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')] }),
            new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${MODEL_PREFIX}*`)] }),
            new PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [logGroup, `${logGroup}:*`] }),
            new PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/TrainingJobs' } } }),
          ],
        }),
      },
    });
    const arn = (resource: string) => `Resource::${resource}`;
    Validations.of(this.role).acknowledge({ id: `AwsSolutions-IAM5[${arn(`<${stack.getLogicalId(this.bucket.node.defaultChild as never)}.Arn>/*`)}]`, reason: 'Datasets are any key of the stage’s own data bucket, uploaded by operators under names only known at run time; SageMaker reads the one object a compiled node names, and nothing outside this bucket.' });
    Validations.of(this.role).acknowledge({ id: `AwsSolutions-IAM5[${arn(`<${stack.getLogicalId(this.bucket.node.defaultChild as never)}.Arn>/${MODEL_PREFIX}*`)}]`, reason: 'Model artifacts are written under models/<account>/<model>/<job>/output/, a path SageMaker names per training job at run time; the role can write nowhere else in the bucket or the account.' });
    Validations.of(this.role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'cloudwatch:PutMetricData supports no resource-level permissions (Service Authorization Reference); the cloudwatch:namespace condition limits the SageMaker role to the /aws/sagemaker/TrainingJobs metrics of its own jobs.' });
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[${arn('arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/TrainingJobs:*')}]`,
      reason: 'Training jobs write their log streams, one per job and named by SageMaker at run time, into SageMaker’s own /aws/sagemaker/TrainingJobs log group only, never into any Stepwise log group.',
    });
  }
}
