import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ModelRegistry, TrainedModel } from '../../core/runner/ports.ts';
import { keys } from './keys.ts';
import { forEachPage } from './paging.ts';

type Item = Record<string, unknown>;

/** Trained models, one item per model name under the account's partition: a retraining replaces it, listing is one Query. */
export class DynamoModelRepository implements ModelRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(model: TrainedModel): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.model(model.accountId, model.name),
          entity: 'model',
          account_id: model.accountId,
          name: model.name,
          algorithm: model.algorithm,
          task: model.task,
          artifact_url: model.artifactUrl,
          rows: model.rows,
          metrics: model.metrics,
          workflow_id: model.workflowId,
          execution_id: model.executionId,
          trained_at: model.trainedAt,
          ...(model.trainingJobName ? { training_job_name: model.trainingJobName } : {}),
        },
      }),
    );
  }

  /** Sorted by name (the sort key). */
  async list(accountId: string): Promise<TrainedModel[]> {
    const out: TrainedModel[] = [];
    await forEachPage(
      this.db,
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':prefix': keys.modelPrefix } },
      async (items) => void out.push(...items.map(modelOf)),
    );
    return out;
  }
}

function modelOf(item: Item): TrainedModel {
  return {
    accountId: item.account_id as string,
    name: item.name as string,
    algorithm: item.algorithm as string,
    task: item.task as TrainedModel['task'],
    artifactUrl: item.artifact_url as string,
    rows: (item.rows as number | null | undefined) ?? null,
    metrics: (item.metrics as TrainedModel['metrics'] | undefined) ?? { train: null, validation: null },
    workflowId: item.workflow_id as string,
    executionId: item.execution_id as string,
    trainedAt: item.trained_at as string,
    ...(typeof item.training_job_name === 'string' ? { trainingJobName: item.training_job_name } : {}),
  };
}
