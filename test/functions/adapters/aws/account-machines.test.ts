import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { AccountMachines } from '../../../../functions/adapters/aws/account-machines.ts';

const ddb = mockClient(DynamoDBDocumentClient);

describe('AccountMachines', () => {
  it('deletes the machine of every workflow of the account, following pages', async () => {
    ddb.reset();
    ddb.on(QueryCommand)
      .resolvesOnce({ Items: [{ state_machine_arn: 'arn:sm:1' }], LastEvaluatedKey: { pk: 'p', sk: 's' } })
      .resolves({ Items: [{ state_machine_arn: 'arn:sm:2' }, {}] });
    const deleteMachine = vi.fn(async () => undefined);
    await new AccountMachines(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'tbl', deleteMachine).deleteAll('acct_1');
    expect(deleteMachine.mock.calls).toEqual([['arn:sm:1'], ['arn:sm:2']]);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      TableName: 'tbl',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'ACCT#acct_1', ':sk': 'WF#' },
      ProjectionExpression: 'state_machine_arn',
    });
  });
});
