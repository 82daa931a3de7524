/**
 * `ml_training`'s algorithms, declared once: the node's validation (node-types.ts), the local trainer
 * (functions/core/ml/trainer.ts) and the SageMaker compile (compile/emit.ts) read this list.
 */
export const ML_ALGORITHMS = ['xgboost', 'linear-learner'] as const;
export type MlAlgorithm = (typeof ML_ALGORITHMS)[number];
export const isMlAlgorithm = (a: unknown): a is MlAlgorithm => typeof a === 'string' && (ML_ALGORITHMS as readonly string[]).includes(a);

/** Used when the node names none: FlowCtl's example trains XGBoost. */
export const DEFAULT_ML_ALGORITHM: MlAlgorithm = 'xgboost';

/** The share of rows held out for validation, locally (the trainer) and on AWS (documented: SageMaker reads one channel). */
export const VALIDATION_SHARE = 0.2;

/**
 * SageMaker's built-in algorithm images by region (docs/deploy.md, "ML training"): the registry account of
 * each algorithm's repository. A region not listed is a compile error, never a guessed URI.
 */
const IMAGE_REGISTRIES: Readonly<Record<string, Readonly<Record<MlAlgorithm, string>>>> = {
  'us-east-1': { xgboost: '683313688378', 'linear-learner': '382416733822' },
  'us-east-2': { xgboost: '257758044811', 'linear-learner': '404615174143' },
  'us-west-2': { xgboost: '246618743249', 'linear-learner': '174872318107' },
  'eu-west-1': { xgboost: '141502667606', 'linear-learner': '438346466558' },
  'eu-central-1': { xgboost: '492215442770', 'linear-learner': '664544806723' },
};
const IMAGE_REPOSITORIES: Readonly<Record<MlAlgorithm, string>> = { xgboost: 'sagemaker-xgboost:1.7-1', 'linear-learner': 'linear-learner:1' };
export const TRAINING_REGIONS = Object.keys(IMAGE_REGISTRIES);

export function trainingImage(algorithm: MlAlgorithm, region: string): string | undefined {
  const account = IMAGE_REGISTRIES[region]?.[algorithm];
  return account ? `${account}.dkr.ecr.${region}.amazonaws.com/${IMAGE_REPOSITORIES[algorithm]}` : undefined;
}

export const sageMakerTrainingSync = (partition: string) => `arn:${partition}:states:::sagemaker:createTrainingJob.sync`;
/** One instance per job; the smallest general-purpose type both algorithms train on (docs/api.md, "ML training", cost). */
export const TRAINING_INSTANCE_TYPE = 'ml.m5.large';
export const TRAINING_VOLUME_GB = 10;
/** A training job may run this long before SageMaker stops it. */
export const TRAINING_MAX_RUNTIME_SECONDS = 60 * 60;
export { MODEL_PREFIX } from '../lib/definitions/names.ts';

/** SageMaker takes hyperparameters as strings; XGBoost needs num_round. */
export function sageMakerHyperparameters(algorithm: MlAlgorithm, h: Record<string, unknown> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k] = String(v);
  if (algorithm === 'xgboost') out.num_round ??= '100';
  return out;
}
