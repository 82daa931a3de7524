import { DynamoModelRepository } from '../adapters/dynamodb/model-repository.ts';
import { slice } from './stepwise.ts';

/**
 * Trained models: ml_training records them (the runner), GET /api/v1/models lists them. The bucket is where the
 * local trainer writes artifacts (MODEL_BUCKET, local mode); on AWS SageMaker writes them and the runner only records.
 */
export const modelsOf = slice((stepwise) => ({ registry: new DynamoModelRepository(stepwise.db, stepwise.table), bucket: stepwise.config.MODEL_BUCKET }));
