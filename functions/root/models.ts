import { DynamoModelRepository } from '../adapters/dynamodb/model-repository.ts';
import { slice } from './stepwise.ts';

/** Trained models: ml_training records them (the runner), GET /api/v1/models lists them; without a model bucket there are none. */
export const modelsOf = slice((stepwise) => {
  const bucket = stepwise.config.MODEL_BUCKET;
  return bucket ? { registry: new DynamoModelRepository(stepwise.db, stepwise.table), bucket } : undefined;
});
