/**
 * What `ml_training` needs to know about local training without loading it: the limits, the error and the
 * result (docs/api.md, "ML training"). The trainer itself (functions/core/ml/trainer.ts, the ml-* libraries)
 * is a port the local platform provides; on AWS SageMaker trains and the task runner never carries it.
 */
import type { MlAlgorithm } from '../../../statemachines/ml-training.ts';
import type { ModelMetric } from '../runner/ports.ts';

export const ML_LIMITS = { maxDatasetBytes: 20 * 1024 * 1024, maxRows: 50_000, maxFeatures: 200, minRows: 10, maxTrees: 200, maxDepth: 20, maxEpochs: 5_000 } as const;

/** The dataset or the hyperparameters cannot train: the node fails, not retryably, with this message. */
export class TrainingError extends Error {
  override readonly name = 'TrainingError';
}

export type MlTask = 'classification' | 'regression';

export type Hyperparameters = Record<string, string | number | boolean>;

export interface TrainingResult {
  task: MlTask;
  /** What actually trained, named honestly (the artifact says it too). */
  implementation: string;
  rows: { total: number; train: number; validation: number };
  features: number;
  metrics: { train: ModelMetric; validation: ModelMetric };
  /** Hyperparameters the local stand-in has no use for (SageMaker's own, such as eta). */
  ignoredHyperparameters: string[];
  /** The serialized model: what `artifact_url` points at. */
  artifact: Record<string, unknown>;
}

/** Trains on a CSV's text (the label in the first column); throws TrainingError for what cannot train. */
export interface Trainer {
  train(csv: string, algorithm: MlAlgorithm, hyperparameters: Hyperparameters): TrainingResult;
}
