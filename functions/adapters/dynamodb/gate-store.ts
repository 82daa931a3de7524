import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GateKey, GateState, GateStore } from '../../core/runner/dependency-gates.ts';
import { keys } from './keys.ts';

/** Standard executions last at most a year; a gate record outlives its run by a month, then TTL removes it. */
const KEEP_SECONDS = 395 * 24 * 60 * 60;

/**
 * The gated layout's gate records (functions/core/runner/dependency-gates.ts): one item per gate, updated
 * with single UpdateItem calls that return the whole item, so the token and the ended dependencies are
 * always seen together.
 */
export class DynamoGateStore implements GateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  setToken(key: GateKey, token: string): Promise<GateState> {
    return this.update(key, 'SET task_token = :token, #ttl = if_not_exists(#ttl, :ttl)', { ':token': token });
  }

  addEnded(key: GateKey, nodeId: string): Promise<GateState> {
    return this.update(key, 'ADD ended :node SET #ttl = if_not_exists(#ttl, :ttl)', { ':node': new Set([nodeId]) });
  }

  private async update(key: GateKey, expression: string, values: Record<string, unknown>): Promise<GateState> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.runGate(key.accountId, key.executionId, key.nodeId, key.mapKey),
        UpdateExpression: expression,
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ...values, ':ttl': Math.floor(this.now().getTime() / 1000) + KEEP_SECONDS },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = out.Attributes ?? {};
    const ended = item.ended instanceof Set ? [...(item.ended as Set<string>)] : [];
    return typeof item.task_token === 'string' ? { token: item.task_token, ended } : { ended };
  }
}
