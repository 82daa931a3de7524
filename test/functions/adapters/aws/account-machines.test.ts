import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { DeleteStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { AccountMachines, stepFunctionsMachineDeleter } from '../../../../functions/adapters/aws/account-machines.ts';

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

describe('stepFunctionsMachineDeleter', () => {
  const sfn = mockClient(SFNClient);
  const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:stepwise-dev-wf_01ARZ3NDEKTSV4RRFFQ69G5FAV';

  it('deletes the machine (its versions and alias go with it), tolerating one already gone', async () => {
    sfn.reset();
    sfn.on(DeleteStateMachineCommand).rejectsOnce(Object.assign(new Error('gone'), { name: 'StateMachineDoesNotExist' })).resolves({});
    const remove = stepFunctionsMachineDeleter(async () => new SFNClient({ region: 'us-east-1' }));
    await remove(ARN);
    await remove(ARN);
    expect(sfn.commandCalls(DeleteStateMachineCommand).map((c) => c.args[0].input)).toEqual([{ stateMachineArn: ARN }, { stateMachineArn: ARN }]);
    sfn.on(DeleteStateMachineCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(remove(ARN)).rejects.toThrow('denied');
  });
});
