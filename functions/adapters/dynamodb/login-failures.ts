import { BatchGetCommand, DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FAILURE_WINDOW_SECONDS } from '../../core/auth/login-policy.ts';
import type { Clock } from '../../core/clock.ts';
import type { FailureWindow, LoginFailures } from '../../core/auth/ports.ts';
import { keys } from './keys.ts';

/** Fixed windows: one counter item per name (and per address) per window, gone by TTL after it. */
export class DynamoLoginFailures implements LoginFailures {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  private window() {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const start = now - (now % FAILURE_WINDOW_SECONDS);
    return { start, end: start + FAILURE_WINDOW_SECONDS };
  }

  async read(login: string, sourceIp: string): Promise<{ login: FailureWindow; ip: FailureWindow }> {
    const { start, end } = this.window();
    const loginKey = keys.loginFailures('login', login, start);
    const ipKey = keys.loginFailures('ip', sourceIp, start);
    const out = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: [loginKey, ipKey], ProjectionExpression: 'pk, n' } } }));
    const items = out.Responses?.[this.tableName] ?? [];
    const count = (pk: string) => Number(items.find((i) => i.pk === pk)?.n ?? 0);
    const resetAt = new Date(end * 1000);
    return { login: { count: count(loginKey.pk), resetAt }, ip: { count: count(ipKey.pk), resetAt } };
  }

  async record(login: string, sourceIp: string): Promise<void> {
    const { start, end } = this.window();
    await Promise.all(
      [keys.loginFailures('login', login, start), keys.loginFailures('ip', sourceIp, start)].map((Key) =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'ADD n :one SET #ttl = :ttl',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':one': 1, ':ttl': end + 60 },
          }),
        ),
      ),
    );
  }

  async reset(login: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.loginFailures('login', login, this.window().start) }));
  }
}
