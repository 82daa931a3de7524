import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { keys } from '../../../../functions/adapters/dynamodb/keys.ts';
import { DynamoModelRepository } from '../../../../functions/adapters/dynamodb/model-repository.ts';
import { newId } from '../../../../functions/core/ids.ts';
import type { TrainedModel } from '../../../../functions/core/runner/ports.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';

/** Trained models against DynamoDB Local: one item per model name under the account, a retraining replaces it, listing stays in the account. */
describe('DynamoModelRepository (DynamoDB Local)', () => {
  const tableName = `model-repository-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const repo = new DynamoModelRepository(db, tableName);

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(() => db.destroy());

  const model = (accountId: string, name: string, over: Partial<TrainedModel> = {}): TrainedModel => ({
    accountId,
    name,
    algorithm: 'xgboost',
    task: 'classification',
    artifactUrl: `s3://stepwise-models/${accountId}/${name}/exec_1/model.json`,
    rows: 400,
    metrics: { train: { accuracy: 0.99 }, validation: { accuracy: 0.95 } },
    workflowId: 'wf_1',
    executionId: 'exec_1',
    trainedAt: '2030-01-01T00:00:00.000Z',
    ...over,
  });

  it('records under the account, lists by name, replaces a retraining, and never lists another account’s', async () => {
    const mine = newId('account');
    const theirs = newId('account');
    await repo.record(model(mine, 'fraud_detector'));
    await repo.record(model(mine, 'churn', { algorithm: 'linear-learner', task: 'regression', metrics: { train: { rmse: 0.3 }, validation: null }, rows: null, trainingJobName: 'sw-abc' }));
    await repo.record(model(mine, 'fraud_detector', { executionId: 'exec_2', metrics: { train: { accuracy: 1 }, validation: { accuracy: 0.97 } } }));
    await repo.record(model(theirs, 'secret_model'));
    const listed = await repo.list(mine);
    expect(listed.map((m) => [m.name, m.executionId])).toEqual([['churn', 'exec_1'], ['fraud_detector', 'exec_2']]);
    expect(listed[0]).toEqual(model(mine, 'churn', { algorithm: 'linear-learner', task: 'regression', metrics: { train: { rmse: 0.3 }, validation: null }, rows: null, trainingJobName: 'sw-abc' }));
    expect((await repo.list(theirs)).map((m) => m.name)).toEqual(['secret_model']);
    const item = await db.send(new GetCommand({ TableName: tableName, Key: keys.model(mine, 'fraud_detector') }));
    expect(item.Item).toMatchObject({ pk: `ACCT#${mine}`, sk: 'MODEL#fraud_detector', account_id: mine });
  });
});
