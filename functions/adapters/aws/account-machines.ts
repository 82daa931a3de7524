import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccountDataOwner } from '../../core/auth/account-service.ts';
import { keys } from '../dynamodb/keys.ts';
import { forEachPage } from '../dynamodb/paging.ts';

/**
 * Account deletion's share of Step Functions: every workflow's state machine (with its versions
 * and alias) goes before the table rows that name them, so nothing of the tenant outlives it.
 */
export class AccountMachines implements AccountDataOwner {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly deleteMachine: (stateMachineArn: string) => Promise<void>,
  ) {}

  async deleteAll(accountId: string): Promise<void> {
    await forEachPage(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':sk': keys.workflowPrefix },
        ProjectionExpression: 'state_machine_arn',
      },
      async (items) => {
        for (const item of items) {
          if (typeof item.state_machine_arn === 'string') await this.deleteMachine(item.state_machine_arn);
        }
      },
    );
  }
}

/** Deletes one machine (with its versions and alias); one already gone is fine. */
export function stepFunctionsMachineDeleter(sfn: () => Promise<SFNClient>): (stateMachineArn: string) => Promise<void> {
  return async (stateMachineArn) => {
    // The command is loaded with the client: every API function builds AccountMachines, few delete accounts.
    const [client, { DeleteStateMachineCommand }] = await Promise.all([sfn(), import('@aws-sdk/client-sfn')]);
    try {
      await client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'StateMachineDoesNotExist') throw error;
    }
  };
}
