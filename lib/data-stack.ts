import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AttributeType, BillingMode, type ITable, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { SigningKeys } from './constructs/signing-keys.ts';
import { TABLE } from './definitions/table.ts';
import type { StageConfig } from './stage-config.ts';

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Stateful resources: everything here outlives a redeploy and, on prod stages, the stack
 * itself. Stateless stacks (API now; workflows and events later) take what they need from here.
 */
export class DataStack extends Stack {
  readonly table: ITable;
  readonly signingKeys: SigningKeys;
  readonly signingKeySecret: ISecret;
  readonly jwksSecret: ISecret;
  /** Encrypts account secrets (stored one per key in Secrets Manager at run time, docs/secrets.md). */
  readonly secretsKey: kms.IKey;
  /**
   * The stream ARN as a weak reference (Fn::GetStackOutput), never an export: an export pins the
   * stream, so a data-stack update that replaces it (a new view type) would wedge (docs/deploy.md#deploy-order).
   */
  readonly tableStreamArn: string;
  /** What operators need after a deploy (`cdk deploy --outputs-file`). */
  readonly outputs: Readonly<Record<'tableName' | 'signingKeySecretArn' | 'jwksSecretArn' | 'tableStreamArn', CfnOutput>>;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;

    const table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.ttlAttribute,
      // Domain events are derived from this stream (lib/events-stack.ts), not published by request handlers.
      stream: StreamViewType[TABLE.streamViewType],
      removalPolicy: config.removalPolicy,
      // RETAIN keeps the table when the stack goes; deletion protection also stops a console
      // click or a replacement-causing change from dropping it.
      deletionProtection: config.retainData,
    });
    for (const gsi of TABLE.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: AttributeType.STRING },
      });
    }
    this.table = table;

    this.signingKeys = new SigningKeys(this, 'SigningKeys', { config });
    this.signingKeySecret = this.signingKeys.signingSecret;
    this.jwksSecret = this.signingKeys.jwksSecret;

    this.secretsKey = new kms.Key(this, 'SecretsKey', {
      description: `Stepwise ${config.stage}: encrypts account secrets in Secrets Manager`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
      pendingWindow: Duration.days(config.retainData ? 30 : 7),
    });

    this.outputs = {
      tableName: new CfnOutput(this, 'TableName', { value: table.tableName }),
      signingKeySecretArn: new CfnOutput(this, 'SigningKeySecretArn', { value: this.signingKeySecret.secretArn }),
      jwksSecretArn: new CfnOutput(this, 'JwksSecretArn', { value: this.jwksSecret.secretArn }),
      tableStreamArn: new CfnOutput(this, 'TableStreamArn', { value: table.tableStreamArn!, description: 'Read by the events stack with Fn::GetStackOutput (a weak reference)' }),
    };
    this.tableStreamArn = Fn.getStackOutput(this.stackName, 'TableStreamArn');
  }
}
