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
