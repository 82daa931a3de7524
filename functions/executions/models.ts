import * as z from 'zod';
import type { ModelRegistry, TrainedModel } from '../core/runner/ports.ts';
import { operation, type Operation } from '../http/operation.ts';

const MetricSchema = z.union([z.object({ accuracy: z.number() }), z.object({ rmse: z.number() })]).nullable();

const ModelSchema = z
  .object({
    model_name: z.string(),
    algorithm: z.string(),
    task: z.enum(['classification', 'regression']),
    artifact_url: z.string().meta({ description: 's3://<model bucket>/<account>/<model>/<execution>/model.json (local mode: the local object store; AWS: SageMaker’s model.tar.gz)' }),
    rows: z.number().int().nullable().meta({ description: 'Rows trained and validated on; null on AWS, where SageMaker reads the data' }),
    metrics: z.object({ train: MetricSchema, validation: MetricSchema }).meta({ description: 'accuracy for classification, RMSE for regression' }),
    workflow_id: z.string(),
    execution_id: z.string(),
    trained_at: z.string(),
    training_job_name: z.string().optional().meta({ description: 'AWS: the SageMaker training job' }),
  })
  .meta({ id: 'Model' });

export const ModelListSchema = z.object({ data: z.array(ModelSchema), models: z.array(ModelSchema), total: z.number().int() }).meta({ id: 'ModelList' });

function modelView(m: TrainedModel): z.output<typeof ModelSchema> {
  return {
    model_name: m.name,
    algorithm: m.algorithm,
    task: m.task,
    artifact_url: m.artifactUrl,
    rows: m.rows,
    metrics: m.metrics,
    workflow_id: m.workflowId,
    execution_id: m.executionId,
    trained_at: m.trainedAt,
    ...(m.trainingJobName ? { training_job_name: m.trainingJobName } : {}),
  };
}

/** `GET /api/v1/models`: the account's trained models, the latest training of each name, sorted by name. */
export function modelOperations(models: () => Pick<ModelRegistry, 'list'> | undefined): Record<string, Operation> {
  return {
    listModels: operation({ response: ModelListSchema, description: 'The models ml_training nodes trained in this account: the latest training of each model_name.' }, async ({ principal }) => {
      const data = ((await models()?.list(principal.accountId)) ?? []).map(modelView);
      return { status: 200, body: { data, models: data, total: data.length } };
    }),
  };
}
