/**
 * Local training for `ml_training` (docs/api.md, "ML training"): a numeric CSV with the label in the first
 * column (SageMaker's convention), 20 % held out for validation in a seeded shuffle, trained with the ml-*
 * libraries as stand-ins for SageMaker's built-in algorithms. Pure: bytes in, model and metrics out.
 */
import { Matrix } from 'ml-matrix';
import LogisticRegression from 'ml-logistic-regression';
import MultivariateLinearRegression from 'ml-regression-multivariate-linear';
import { RandomForestClassifier, RandomForestRegression } from 'ml-random-forest';
import { VALIDATION_SHARE, type MlAlgorithm } from '../../../statemachines/ml-training.ts';
import type { ModelMetric } from '../runner/ports.ts';
import { ML_LIMITS, TrainingError, type MlTask, type Trainer, type TrainingResult } from './training.ts';

/** Integer labels with at most this many distinct values are classes when the hyperparameters do not say. */
const MAX_INFERRED_CLASSES = 20;
const DEFAULT_SEED = 42;

export interface Dataset {
  labels: number[];
  features: number[][];
}

/** Parses the CSV: numbers only, the label first; one header row (any non-numeric cell in the first line) is skipped. */
export function parseCsv(text: string): Dataset {
  const lines = text.split(/\r?\n/);
  const labels: number[] = [];
  const features: number[][] = [];
  let width = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    const values = cells.map((c) => (c === '' ? Number.NaN : Number(c)));
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      if (labels.length === 0 && width === -1) {
        width = cells.length;
        continue;
      }
      throw new TrainingError(`dataset line ${i + 1}, column ${bad + 1}: ${JSON.stringify(cells[bad]!.slice(0, 32))} is not a number (the CSV must be numeric, the label in the first column)`);
    }
    if (cells.length < 2) throw new TrainingError(`dataset line ${i + 1}: needs the label and at least one feature`);
    if (width === -1) width = cells.length;
    if (cells.length !== width) throw new TrainingError(`dataset line ${i + 1} has ${cells.length} columns, the first has ${width}`);
    if (cells.length - 1 > ML_LIMITS.maxFeatures) throw new TrainingError(`dataset has ${cells.length - 1} features; at most ${ML_LIMITS.maxFeatures}`);
    labels.push(values[0]!);
    features.push(values.slice(1));
    if (labels.length > ML_LIMITS.maxRows) throw new TrainingError(`dataset has more than ${ML_LIMITS.maxRows} rows (the local trainer's limit; AWS trains in SageMaker)`);
  }
  if (labels.length < ML_LIMITS.minRows) throw new TrainingError(`dataset has ${labels.length} rows; at least ${ML_LIMITS.minRows} are needed to hold out ${VALIDATION_SHARE * 100} % for validation`);
  return { labels, features };
}

type Hyper = Record<string, unknown>;

function numberParam(h: Hyper, name: string, fallback: number, min: number, max: number, integer = true): number {
  const raw = h[name];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const v = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new TrainingError(`hyperparameters.${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return v;
}

/** SageMaker's own switches: xgboost's objective, linear-learner's predictor_type. Otherwise the labels decide. */
function taskOf(algorithm: MlAlgorithm, h: Hyper, labels: number[]): MlTask {
  if (algorithm === 'xgboost' && h.objective !== undefined) {
    const o = String(h.objective);
    if (o.startsWith('binary:') || o.startsWith('multi:')) return 'classification';
    if (o.startsWith('reg:')) return 'regression';
    throw new TrainingError(`hyperparameters.objective ${JSON.stringify(o.slice(0, 64))} is not supported locally: use binary:*, multi:* or reg:*`);
  }
  if (algorithm === 'linear-learner' && h.predictor_type !== undefined) {
    const p = String(h.predictor_type);
    if (p === 'binary_classifier' || p === 'multiclass_classifier') return 'classification';
    if (p === 'regressor') return 'regression';
    throw new TrainingError('hyperparameters.predictor_type must be binary_classifier, multiclass_classifier or regressor');
  }
  const distinct = new Set(labels);
  return labels.every(Number.isInteger) && distinct.size <= MAX_INFERRED_CLASSES ? 'classification' : 'regression';
}

/** mulberry32: a small seeded generator, so the same data and seed always split the same way. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function split(data: Dataset, seed: number) {
  const order = data.labels.map((_, i) => i);
  const next = random(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const validationCount = Math.max(1, Math.round(order.length * VALIDATION_SHARE));
  const pick = (idx: number[]) => ({ labels: idx.map((i) => data.labels[i]!), features: idx.map((i) => data.features[i]!) });
  return { validation: pick(order.slice(0, validationCount)), train: pick(order.slice(validationCount)) };
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));
const accuracy = (truth: number[], predicted: number[]): ModelMetric => ({ accuracy: round(truth.filter((t, i) => t === predicted[i]).length / truth.length, 4) });
const rmse = (truth: number[], predicted: number[]): ModelMetric => ({ rmse: round(Math.sqrt(truth.reduce((s, t, i) => s + (t - predicted[i]!) ** 2, 0) / truth.length), 6) });

/** Column means and deviations of the training rows; linear models train on standardized features (as linear-learner normalizes by default). */
function standardizer(rows: number[][]) {
  const width = rows[0]!.length;
  const mean = Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const std = mean.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / rows.length) || 1);
  return { mean, std, apply: (rs: number[][]) => rs.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!)) };
}

const USED: Record<MlAlgorithm, readonly string[]> = {
  xgboost: ['objective', 'num_round', 'max_depth', 'colsample_bytree', 'seed', 'num_class'],
  'linear-learner': ['predictor_type', 'epochs', 'learning_rate', 'seed', 'num_classes'],
};

export function train(data: Dataset, algorithm: MlAlgorithm, hyperparameters: Hyper = {}): TrainingResult {
  const h = hyperparameters;
  const seed = numberParam(h, 'seed', DEFAULT_SEED, 0, 2_147_483_647);
  const task = taskOf(algorithm, h, data.labels);
  const { train: tr, validation: va } = split(data, seed);
  const ignoredHyperparameters = Object.keys(h).filter((k) => !USED[algorithm].includes(k)).toSorted();
  const classes = task === 'classification' ? [...new Set(data.labels)].toSorted((a, b) => a - b) : [];
  if (task === 'classification' && classes.length < 2) throw new TrainingError('classification needs at least two distinct labels in the first column');
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const base = { format: 'stepwise-model/1', algorithm, task, seed, features: data.features[0]!.length };

  let predictTrain: number[];
  let predictValidation: number[];
  let implementation: string;
  let artifact: Record<string, unknown>;
  if (algorithm === 'xgboost') {
    const options = {
      seed,
      nEstimators: numberParam(h, 'num_round', 50, 1, ML_LIMITS.maxTrees),
      maxFeatures: numberParam(h, 'colsample_bytree', 1, 0.01, 1, false),
      replacement: true,
      useSampleBagging: true,
      noOOB: true,
      treeOptions: { maxDepth: numberParam(h, 'max_depth', 6, 1, ML_LIMITS.maxDepth) },
    };
    const forest = task === 'classification' ? new RandomForestClassifier(options) : new RandomForestRegression(options);
    forest.train(tr.features, tr.labels);
    predictTrain = forest.predict(tr.features);
    predictValidation = forest.predict(va.features);
    implementation = `ml-random-forest ${task === 'classification' ? 'RandomForestClassifier' : 'RandomForestRegression'} (a bagged-tree stand-in for XGBoost's boosted trees)`;
    artifact = { ...base, implementation, model: forest.toJSON() as unknown };
  } else if (task === 'classification') {
    const scale = standardizer(tr.features);
    // The library's gradient is a sum over rows and its model has no intercept: the rate is per row, and a
    // constant column is the intercept.
    const withBias = (rows: number[][]) => new Matrix(scale.apply(rows).map((r) => [1, ...r]));
    const learningRate = numberParam(h, 'learning_rate', 0.5, 1e-6, 10, false) / tr.labels.length;
    const model = new LogisticRegression({ numSteps: numberParam(h, 'epochs', 1_000, 1, ML_LIMITS.maxEpochs), learningRate });
    model.train(withBias(tr.features), Matrix.columnVector(tr.labels.map((l) => classIndex.get(l)!)));
    const predict = (rows: number[][]) => model.predict(withBias(rows)).map((i) => classes[i]!);
    predictTrain = predict(tr.features);
    predictValidation = predict(va.features);
    implementation = 'ml-logistic-regression (one-vs-rest logistic regression on standardized features, with an intercept)';
    artifact = { ...base, implementation, classes, standardization: { mean: scale.mean, std: scale.std }, model: model.toJSON() as unknown };
  } else {
    const model = new MultivariateLinearRegression(tr.features, tr.labels.map((l) => [l]));
    const predict = (rows: number[][]) => model.predict(rows).map((p) => p[0]!);
    predictTrain = predict(tr.features);
    predictValidation = predict(va.features);
    implementation = 'ml-regression-multivariate-linear (least-squares linear regression)';
    artifact = { ...base, implementation, model: model.toJSON() as unknown };
  }
  if (task === 'classification') artifact.classes = classes;
  const metric = task === 'classification' ? accuracy : rmse;
  return {
    task,
    implementation,
    rows: { total: data.labels.length, train: tr.labels.length, validation: va.labels.length },
    features: data.features[0]!.length,
    metrics: { train: metric(tr.labels, predictTrain), validation: metric(va.labels, predictValidation) },
    ignoredHyperparameters,
    artifact,
  };
}

/** The Trainer port over this module (local mode's platform hands it to the runner: functions/root/local.ts). */
export const csvTrainer: Trainer = { train: (csv, algorithm, hyperparameters) => train(parseCsv(csv), algorithm, hyperparameters) };
