import { Duration, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CfnRotationSchedule, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';
import { StepwiseFunction } from './stepwise-function.ts';

export interface SigningKeysProps {
  readonly config: StageConfig;
}

// Placeholders only: the rotation Lambda replaces them on its first (immediate) run. They must
// stay constant in code, because a changed SecretString would make CloudFormation overwrite the
// rotated keys on the next deploy.
const EMPTY_KEY_SET = JSON.stringify({ keys: [] });

/**
 * The JWT signing keys: a KMS-encrypted secret with the private keys (current + previous), a
 * secret with their public JWKS, and the Lambda that rotates the first and publishes the second.
 */
export class SigningKeys extends Construct {
  readonly encryptionKey: kms.Key;
  /** `{"keys":[{kid, alg, privateJwk, created_at}]}`, newest first. Only `auth` may read it. */
  readonly signingSecret: Secret;
  /** `{"keys":[<public JWK>]}`. Every API function verifies tokens against it. */
  readonly jwksSecret: Secret;
  readonly rotationFunction: StepwiseFunction;
  readonly rotationSchedule: CfnRotationSchedule;

  constructor(scope: Construct, id: string, props: SigningKeysProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);

    this.encryptionKey = new kms.Key(this, 'SecretKey', {
      description: `Stepwise ${config.stage}: encrypts the JWT signing-key secret`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
      pendingWindow: Duration.days(config.retainData ? 30 : 7),
    });

    this.signingSecret = new Secret(this, 'SigningSecret', {
      description: `Stepwise ${config.stage}: private ES256 keys that sign access tokens (rotated)`,
      encryptionKey: this.encryptionKey,
      secretStringValue: SecretValue.unsafePlainText(EMPTY_KEY_SET),
      removalPolicy: config.removalPolicy,
    });

    // Public material, so the AWS managed key is enough and verifiers need no KMS grant.
    this.jwksSecret = new Secret(this, 'JwksSecret', {
      description: `Stepwise ${config.stage}: public JWKS for verifying access tokens`,
      secretStringValue: SecretValue.unsafePlainText(EMPTY_KEY_SET),
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.jwksSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "The JWKS secret holds only public keys and is not a credential: it is rewritten by the signing-key rotation Lambda's setSecret step every time the signing secret rotates, so a rotation schedule of its own would have nothing to rotate.",
    });

    this.rotationFunction = new StepwiseFunction(this, 'Rotation', {
      config,
      entry: 'functions/signing-keys/handler.ts',
      description: 'Rotates the JWT signing key and publishes its public JWKS',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: { JWKS_SECRET_ARN: this.jwksSecret.secretArn },
    });
    const rotation = this.rotationFunction;

    // Written by hand instead of secret.addRotationSchedule(): the L2 also grants
    // secretsmanager:GetRandomPassword on "*" (this rotation never asks for a password) and lets
    // any account's secret invoke the function.
    const signingSecretAccess = new iam.Policy(this, 'RotationAccess', {
      statements: [
        new iam.PolicyStatement({
          actions: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecretVersionStage',
          ],
          resources: [this.signingSecret.secretArn],
        }),
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
          resources: [this.jwksSecret.secretArn],
        }),
        new iam.PolicyStatement({
          // Decrypt for GetSecretValue, GenerateDataKey for PutSecretValue; only through Secrets Manager.
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` },
          },
        }),
      ],
    });

    rotation.attachPolicy(signingSecretAccess);

    rotation.function.addPermission('SecretsManagerInvoke', {
      principal: new iam.ServicePrincipal('secretsmanager.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: stack.account,
    });
    const invoke = rotation.function.permissionsNode.findChild('SecretsManagerInvoke');

    this.rotationSchedule = new CfnRotationSchedule(this, 'RotationSchedule', {
      secretId: this.signingSecret.secretArn,
      rotationLambdaArn: rotation.function.functionArn,
      rotationRules: { scheduleExpression: `rate(${config.signingKeyRotation.toDays()} days)` },
      // The first rotation runs at deploy time and generates key #1, so a fresh stage can
      // issue tokens minutes after `cdk deploy` without any manual step.
      rotateImmediatelyOnUpdate: true,
    });
    // Secrets Manager invokes the function as soon as the schedule exists; every permission the
    // first run needs must already be in place.
    this.rotationSchedule.node.addDependency(invoke, signingSecretAccess, rotation);
  }
}
