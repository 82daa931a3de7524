import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataStack } from '../../lib/data-stack.ts';
import { TABLE } from '../../lib/definitions/table.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import {
  allActions,
  logicalId,
  only,
  resource,
  resources,
  skipBuiltinValidation,
  statementsForRole,
  statementsOn,
  type Statement,
} from './helpers.ts';

let dev: DataStack;
let prod: DataStack;
let devTemplate: Template;
let prodTemplate: Template;

// Two data stacks (only the rotation function bundles), synthesized once for the file.
beforeAll(() => {
  skipBuiltinValidation();
  dev = new DataStack(new App(), 'Stepwise-dev-Data', { config: stageConfig('dev') });
  prod = new DataStack(new App(), 'Stepwise-prod-Data', { config: stageConfig('prod') });
  devTemplate = Template.fromStack(dev);
  prodTemplate = Template.fromStack(prod);
}, 120_000);
afterAll(() => vi.unstubAllEnvs());

describe('table', () => {
  it('is built from lib/definitions/table.ts: keys, overloaded string GSIs and TTL', () => {
    const table = only(devTemplate, 'AWS::DynamoDB::Table').Properties;
    expect(table).toMatchObject({
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      GlobalSecondaryIndexes: TABLE.globalSecondaryIndexes.map((gsi) => ({
        IndexName: gsi.indexName,
        KeySchema: [
          { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
          { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
    const attributes = table.AttributeDefinitions as { AttributeType: string }[];
    expect(new Set(attributes.map((a) => a.AttributeType))).toEqual(new Set(['S']));
  });

  it('streams both images of every change (domain events are derived from it, lib/events-stack.ts)', () => {
    expect(only(devTemplate, 'AWS::DynamoDB::Table').Properties.StreamSpecification).toEqual({ StreamViewType: TABLE.streamViewType });
    expect(TABLE.streamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(dev.table.tableStreamArn).toBeDefined();
  });

  it('is on-demand, encrypted, and has point-in-time recovery', () => {
    expect(only(devTemplate, 'AWS::DynamoDB::Table').Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('is retained and deletion-protected on prod, deleted with the stack on dev', () => {
    expect(only(prodTemplate, 'AWS::DynamoDB::Table')).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { DeletionProtectionEnabled: true },
    });
    expect(only(devTemplate, 'AWS::DynamoDB::Table')).toMatchObject({ DeletionPolicy: 'Delete', Properties: { DeletionProtectionEnabled: false } });
  });
});

describe('secrets', () => {
  it('encrypts the signing secret with a rotating customer managed key', () => {
    expect(resource(devTemplate, 'AWS::KMS::Key', logicalId(dev.signingKeys.encryptionKey)).Properties.EnableKeyRotation).toBe(true);
    const signing = resource(devTemplate, 'AWS::SecretsManager::Secret', logicalId(dev.signingKeySecret));
    expect(signing.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(dev.signingKeys.encryptionKey), 'Arn'] });
    // Public keys only: the JWKS needs no customer key, so verifiers need no KMS grant.
    expect(resource(devTemplate, 'AWS::SecretsManager::Secret', logicalId(dev.jwksSecret)).Properties.KmsKeyId).toBeUndefined();
  });

  it('keeps a separate rotating key for account secrets', () => {
    const keys = Object.keys(resources(devTemplate, 'AWS::KMS::Key'));
    expect(keys).toHaveLength(2);
    expect(resource(devTemplate, 'AWS::KMS::Key', logicalId(dev.secretsKey as never)).Properties.EnableKeyRotation).toBe(true);
  });

  it('starts both secrets as an empty key set, never with key material', () => {
    for (const secret of Object.values(resources(devTemplate, 'AWS::SecretsManager::Secret'))) {
      expect(JSON.parse(String(secret.Properties.SecretString))).toEqual({ keys: [] });
    }
  });

  it('retains secrets and their key on prod, deletes them on dev', () => {
    for (const type of ['AWS::SecretsManager::Secret', 'AWS::KMS::Key']) {
      for (const r of Object.values(resources(prodTemplate, type))) expect(r.DeletionPolicy, type).toBe('Retain');
      for (const r of Object.values(resources(devTemplate, type))) expect(r.DeletionPolicy, type).toBe('Delete');
    }
  });
});

describe('signing-key rotation', () => {
  const rotationFnId = () => logicalId(dev.signingKeys.rotationFunction.function);

  it('rotates the signing secret every 30 days with the rotation Lambda, first right at deploy time', () => {
    const schedule = only(devTemplate, 'AWS::SecretsManager::RotationSchedule');
    expect(schedule.Properties).toEqual({
      SecretId: { Ref: logicalId(dev.signingKeySecret) },
      RotationLambdaARN: { 'Fn::GetAtt': [rotationFnId(), 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      RotateImmediatelyOnUpdate: true,
    });
  });

  it('is created only after the function can be invoked and holds its permissions', () => {
    const schedule = only(devTemplate, 'AWS::SecretsManager::RotationSchedule');
    const permissionId = Object.keys(resources(devTemplate, 'AWS::Lambda::Permission'))[0] ?? '';
    const accessPolicyId = logicalId(dev.signingKeys.node.findChild('RotationAccess'));
    expect(schedule.DependsOn).toEqual(expect.arrayContaining([rotationFnId(), permissionId, accessPolicyId]));
  });

  it('can be invoked by Secrets Manager from this account only', () => {
    expect(only(devTemplate, 'AWS::Lambda::Permission').Properties).toEqual({
      FunctionName: { 'Fn::GetAtt': [rotationFnId(), 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
      Action: 'lambda:InvokeFunction',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  it('gets the rotation steps on the signing secret, read/write on the JWKS, and nothing else', () => {
    const statements = statementsForRole(devTemplate, logicalId(dev.signingKeys.rotationFunction.role));
    expect(allActions(statementsOn(statements, logicalId(dev.signingKeySecret)))).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
    ]);
    expect(allActions(statementsOn(statements, logicalId(dev.jwksSecret)))).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']);
    const kms = statementsOn(statements, logicalId(dev.signingKeys.encryptionKey));
    expect(allActions(kms)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(JSON.stringify(kms[0]?.Condition)).toContain('kms:ViaService');
    // What secret.addRotationSchedule() would have added: a wildcard this rotation never uses.
    expect(allActions(statements)).not.toContain('secretsmanager:GetRandomPassword');
    const wildcard = statements.filter((s: Statement) => JSON.stringify(s.Resource) === '"*"');
    expect(allActions(wildcard)).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('knows where to publish public keys', () => {
    const fn = resource(devTemplate, 'AWS::Lambda::Function', rotationFnId());
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Environment: { Variables: { JWKS_SECRET_ARN: { Ref: logicalId(dev.jwksSecret) }, STEPWISE_MODE: 'aws', STEPWISE_STAGE: 'dev' } },
    });
    expect(fn.Properties.Environment).not.toHaveProperty('Variables.SIGNING_KEY_SECRET_ARN');
  });
});

describe('outputs', () => {
  it('publishes the table name and secret ARNs for operators', () => {
    const outputs = devTemplate.findOutputs('*');
    expect(outputs).toMatchObject({
      TableName: { Value: { Ref: logicalId(dev.table) } },
      SigningKeySecretArn: { Value: { Ref: logicalId(dev.signingKeySecret) } },
      JwksSecretArn: { Value: { Ref: logicalId(dev.jwksSecret) } },
    });
  });
});
