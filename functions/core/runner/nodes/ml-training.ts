import { DEFAULT_ML_ALGORITHM, isMlAlgorithm, ML_ALGORITHMS, TRAINING_MAX_RUNTIME_SECONDS, type MlAlgorithm } from '../../../../statemachines/ml-training.ts';
import { ML_LIMITS, TrainingError } from '../../ml/training.ts';
import { parseExecutionName } from '../../executions/execution.ts';
import { nonRetryable, retryable, RunnerFailure } from '../errors.ts';
import { ObjectTooLarge, type ModelMetric, type ObjectStore } from '../ports.ts';
import { isPlainObject } from '../resolve-templates.ts';
import { prepared } from './jobs.ts';
import { asRecord, executed, type NodeExecutor, type Run } from './run.ts';

const DATASET_TIMEOUT_MS = 60_000;
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

interface Job {
  modelName: string;
  datasetUrl: string;
  algorithm: MlAlgorithm;
  hyperparameters: Record<string, string | number | boolean>;
}

/**
 * `ml_training` {model_name, dataset_url, algorithm, hyperparameters}. Here (local mode) the runner trains
 * itself with the ml-* stand-ins (functions/core/ml/trainer.ts), writes the model JSON to the model bucket and
 * records the model; on AWS SageMaker trains (createTrainingJob.sync) and `record_job` records what it made.
 */
export const mlTraining: NodeExecutor = {
  async execute(run) {
    const job = await resolved(run);
    const { models, training } = run.deps;
    const bucket = models?.bucket;
    if (!training || !models || !bucket) throw nonRetryable('ml_training cannot run here: this runner has no trainer or object store (docs/api.md, "ML training")');
    const text = await dataset(run, training.objects, job.datasetUrl);
    const started = performance.now();
    let result;
    try {
      result = training.trainer.train(text, job.algorithm, job.hyperparameters);
    } catch (error) {
      if (error instanceof TrainingError) throw nonRetryable(`ml_training: ${error.message}`);
      throw error;
    }
    const durationMs = Math.round(performance.now() - started);
    const { executionId } = ids(run);
    const key = `${run.ctx.accountId}/${job.modelName}/${executionId}/model.json`;
    await training.objects.put(bucket, key, JSON.stringify(result.artifact), 'application/json');
    const artifactUrl = `s3://${bucket}/${key}`;
    await models.registry.record({
      accountId: run.ctx.accountId,
      name: job.modelName,
      algorithm: job.algorithm,
      task: result.task,
      artifactUrl,
      rows: result.rows.total,
      metrics: result.metrics,
      workflowId: run.request.workflow_id,
      executionId,
      trainedAt: run.ctx.now().toISOString(),
    });
    run.log('info', 'Model trained', { model_name: job.modelName, algorithm: job.algorithm, task: result.task, rows: result.rows.total, duration_ms: durationMs, artifact_url: artifactUrl });
    return executed(
      {
        model_name: job.modelName,
        artifact_url: artifactUrl,
        algorithm: job.algorithm,
        task: result.task,
        implementation: result.implementation,
        rows: result.rows.total,
        rows_train: result.rows.train,
        rows_validation: result.rows.validation,
        features: result.features,
        metrics: result.metrics,
        ignored_hyperparameters: result.ignoredHyperparameters,
        duration_ms: durationMs,
      },
      { model_name: job.modelName, rows: result.rows.total, duration_ms: durationMs },
    );
  },
  /** AWS, before the SageMaker job: the attempt begins and the params are checked (they are literal there: compile.ts). */
  async prepare_job(run) {
    await resolved(run);
    return prepared(run, {}, TRAINING_MAX_RUNTIME_SECONDS * 1000);
  },
  /** AWS, after the SageMaker job: the model it wrote is recorded (GET /api/v1/models), or the node fails with SageMaker's reason. */
  async record_job(run) {
    const job = await resolved(run);
    const { training, training_error: failure } = run.request;
    if (failure) {
      let reason = failure.Cause ?? '';
      try {
        const cause = asRecord(JSON.parse(reason));
        reason = String(cause.FailureReason ?? cause.TrainingJobStatus ?? reason);
      } catch {
        // A States.* error with a text cause.
      }
      run.log('warn', 'Training failed', { error: failure.Error ?? null, reason: reason.slice(0, 1_024) });
      throw new RunnerFailure('Stepwise.TrainingFailed', `SageMaker training failed (${failure.Error ?? 'unknown error'})${reason ? `: ${reason.slice(0, 1_024)}` : ''}`, { retryable: false });
    }
    if (!isPlainObject(training) || !models(run)) throw nonRetryable('record_job needs the training job or its error');
    const artifactUrl = String(asRecord(training.ModelArtifacts).S3ModelArtifacts ?? '');
    const name = String(training.TrainingJobName ?? '');
    const metrics = metricsOf(training.FinalMetricDataList);
    const { executionId } = ids(run);
    const task = job.algorithm === 'linear-learner' ? (job.hyperparameters.predictor_type === 'regressor' ? 'regression' : 'classification') : /^(binary|multi):/.test(String(job.hyperparameters.objective ?? '')) ? 'classification' : 'regression';
    await models(run)!.registry.record({ accountId: run.ctx.accountId, name: job.modelName, algorithm: job.algorithm, task, artifactUrl, rows: null, metrics, workflowId: run.request.workflow_id, executionId, trainedAt: run.ctx.now().toISOString(), trainingJobName: name });
    run.log('info', 'Model trained', { model_name: job.modelName, algorithm: job.algorithm, training_job_name: name, artifact_url: artifactUrl });
    return executed({ model_name: job.modelName, artifact_url: artifactUrl, algorithm: job.algorithm, task, rows: null, metrics, training_job_name: name }, { model_name: job.modelName });
  },
};

const models = (run: Run) => run.deps.models;

/** SageMaker's final metrics (`train:rmse`, `validation:accuracy`, …) as {train, validation}; other metrics are left out. */
function metricsOf(list: unknown): { train: ModelMetric | null; validation: ModelMetric | null } {
  const out: { train: ModelMetric | null; validation: ModelMetric | null } = { train: null, validation: null };
  for (const m of Array.isArray(list) ? list : []) {
    const [channel, metric] = String(asRecord(m).MetricName ?? '').split(':');
    const value = Number(asRecord(m).Value);
    if ((channel === 'train' || channel === 'validation') && (metric === 'accuracy' || metric === 'rmse') && Number.isFinite(value)) {
      out[channel] = metric === 'accuracy' ? { accuracy: value } : { rmse: value };
    }
  }
  return out;
}

function ids(run: Run): { executionId: string } {
  const parsed = parseExecutionName(run.request.execution_id);
  return { executionId: parsed?.executionId ?? run.request.execution_id.slice(run.request.execution_id.lastIndexOf(':') + 1) };
}

/** Templates resolved, then checked again: a template may have produced anything. */
async function resolved(run: Run): Promise<Job> {
  const p = asRecord(await run.templates.resolve(run.params));
  if (typeof p.model_name !== 'string' || !MODEL_NAME.test(p.model_name)) throw nonRetryable('model_name must resolve to a model name (a letter or digit, then up to 62 letters, digits, "_", "." or "-")');
  if (typeof p.dataset_url !== 'string' || p.dataset_url.trim() === '') throw nonRetryable('dataset_url must resolve to an s3:// or https:// URL');
  const algorithm = p.algorithm ?? DEFAULT_ML_ALGORITHM;
  if (!isMlAlgorithm(algorithm)) throw nonRetryable(`algorithm ${JSON.stringify(String(algorithm).slice(0, 64))} is not supported: use one of ${ML_ALGORITHMS.join(', ')}`);
  const hyper = asRecord(p.hyperparameters);
  const hyperparameters: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(hyper)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw nonRetryable(`hyperparameters.${name} must resolve to a string, number or boolean`);
    hyperparameters[name] = value;
  }
  return { modelName: p.model_name, datasetUrl: p.dataset_url.trim(), algorithm, hyperparameters };
}

/** The CSV's text: `s3://` through the object store (never the model bucket: it holds every account's models), https through the SSRF guard. */
async function dataset(run: Run, objects: ObjectStore, url: string): Promise<string> {
  const max = ML_LIMITS.maxDatasetBytes;
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (s3) {
    const [, bucket, key] = s3 as unknown as [string, string, string];
    if (bucket === run.deps.models?.bucket) throw nonRetryable(`dataset_url: the model bucket ${bucket} is not a dataset source`);
    let body: Uint8Array | undefined;
    try {
      body = await objects.get(bucket, key, { maxBytes: max, signal: run.ctx.signal });
    } catch (error) {
      if (error instanceof ObjectTooLarge) throw nonRetryable(`dataset_url: the dataset is larger than ${max} bytes (the local trainer's limit)`);
      throw retryable(`dataset_url: reading ${url} failed: ${(error as Error).message}`);
    }
    if (!body) throw nonRetryable(`dataset_url: ${url} does not exist (no such bucket or key)`);
    return new TextDecoder().decode(body);
  }
  if (!url.startsWith('https://') && !url.startsWith('http://')) throw nonRetryable('dataset_url must resolve to an s3:// or https:// URL');
  const res = await run.deps.http.request({ method: 'GET', url, headers: { accept: 'text/csv, text/plain, */*' }, timeoutMs: DATASET_TIMEOUT_MS, maxResponseBytes: max + 1, signal: run.ctx.signal });
  if (res.truncated) throw nonRetryable(`dataset_url: the dataset is larger than ${max} bytes (the local trainer's limit)`);
  if (res.status >= 400) {
    const message = `dataset_url: GET ${url} answered ${res.status}`;
    throw res.status >= 500 || res.status === 429 ? retryable(message) : nonRetryable(message);
  }
  return res.body;
}

