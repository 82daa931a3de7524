import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';

/**
 * Read access to a secret written entirely into the grantee's own policy. `secret.grantRead()`
 * would also add the grantee to the KMS key policy, and with the key in the data stack and the
 * function in a stack that depends on it, that reference runs the wrong way and makes a cycle.
 * The key policy already delegates to IAM in this account, so the identity policy is enough.
 */
export function grantSecretRead(secret: ISecret, grantee: iam.IGrantable): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    resourceArns: [secret.secretArn],
  });
  if (secret.encryptionKey) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [secret.encryptionKey.keyArn],
        // Only as part of a Secrets Manager call, never as a raw decrypt of arbitrary ciphertext.
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(secret).region}.amazonaws.com` } },
      }),
    );
  }
}
