import { describe, expect, it } from 'vitest';
import { runAction, type ExecutorContext, type ExecutorDeps } from '../../../../../functions/core/runner/executors.ts';
import { RunnerFailure } from '../../../../../functions/core/runner/errors.ts';
import type { ModelRegistry, ObjectStore, TrainedModel } from '../../../../../functions/core/runner/ports.ts';
import type { TaskRunnerRequest } from '../../../../../statemachines/task-runner-contract.ts';
import { classificationCsv } from '../../../../support/ml-datasets.ts';
import { csvTrainer } from '../../../../../functions/core/ml/trainer.ts';

const ACCOUNT = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const EXECUTION = 'exec_01ARZ3NDEKTSV4RRFFQ69G5FAW';
const PARAMS = { model_name: 'fraud_detector', dataset_url: 's3://ml-data/training.csv', algorithm: 'xgboost', hyperparameters: { objective: 'binary:logistic', num_round: 10 } };

function request(action: TaskRunnerRequest['action'], extra: Partial<TaskRunnerRequest> = {}): TaskRunnerRequest {
  return { node_id: 'train', node_type: 'ml_training', action, params: PARAMS, account_id: ACCOUNT, workflow_id: 'wf_1', execution_id: `arn:aws:states:us-east-1:123456789012:execution:m:${EXECUTION}-${ACCOUNT}`, input: {}, retry_count: 0, ...extra };
}

const ctx: ExecutorContext = { accountId: ACCOUNT, input: {}, step: async () => undefined, secret: async () => undefined, signal: new AbortController().signal, log: () => undefined, now: () => new Date('2030-01-01T00:00:00Z') };

/** In-memory stand-ins for the object store and the model table: what the executor wrote is what the test reads. */
function deps(objects: Record<string, string> = {}) {
  const recorded: TrainedModel[] = [];
  const store: ObjectStore = {
    get: async (bucket, key) => (objects[`${bucket}/${key}`] === undefined ? undefined : new TextEncoder().encode(objects[`${bucket}/${key}`])),
    put: async (bucket, key, body) => {
      objects[`${bucket}/${key}`] = body;
    },
  };
  const registry: ModelRegistry = { record: async (m) => void recorded.push(m), list: async () => recorded };
  const d: ExecutorDeps = { http: { request: async () => Promise.reject(new Error('no http')) }, lambda: { invoke: async () => ({}) }, expressions: { evaluate: async () => undefined }, training: { trainer: csvTrainer, objects: store }, models: { registry, bucket: 'stepwise-models' } };
  return { d, recorded, objects };
}

describe('ml_training in the runner', () => {
  it('execute: trains on the object, writes the model JSON to the model bucket and records it for the account', async () => {
    const { d, recorded, objects } = deps({ 'ml-data/training.csv': classificationCsv(200) });
    const { result } = await runAction(request('execute'), ctx, d);
    expect(result).toMatchObject({ action: 'execute', output: { model_name: 'fraud_detector', task: 'classification', rows: 200, artifact_url: `s3://stepwise-models/${ACCOUNT}/fraud_detector/${EXECUTION}/model.json` } });
    expect(JSON.parse(objects[`stepwise-models/${ACCOUNT}/fraud_detector/${EXECUTION}/model.json`]!)).toMatchObject({ algorithm: 'xgboost', task: 'classification' });
    expect(recorded).toEqual([expect.objectContaining({ accountId: ACCOUNT, name: 'fraud_detector', executionId: EXECUTION, rows: 200 })]);
  });

  it('an unknown algorithm after templates, and no object store, fail non-retryably with the reason', async () => {
    const bad = await runAction({ ...request('execute'), params: { ...PARAMS, algorithm: 'kmeans' } }, ctx, deps().d).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(RunnerFailure);
    expect((bad as RunnerFailure).message).toContain('algorithm "kmeans" is not supported: use one of xgboost, linear-learner');
    const { training: _training, ...without } = deps().d;
    const none = await runAction(request('execute'), ctx, { ...without, models: undefined }).catch((e: unknown) => e);
    expect((none as RunnerFailure).message).toContain('ml_training cannot run here');
  });

  it('record_job (AWS): records SageMaker’s artifact and final metrics; a failed job fails the node with SageMaker’s reason', async () => {
    const { d: local, recorded } = deps();
    // On AWS the runner has the model table but no bucket or object store: SageMaker wrote the artifact.
    const d: ExecutorDeps = { ...local, training: undefined, models: { registry: local.models!.registry } };
    const training = {
      TrainingJobName: 'sw-4c0a9c1e-6a57-4a43-9b1a-0e4c1b3bb7a1',
      ModelArtifacts: { S3ModelArtifacts: `s3://stepwise-dev-data-123456789012/models/${ACCOUNT}/fraud_detector/sw-4c0a/output/model.tar.gz` },
      FinalMetricDataList: [{ MetricName: 'train:accuracy', Value: 0.97 }, { MetricName: 'train:logloss', Value: 0.1 }],
    };
    const { result } = await runAction(request('record_job', { training }), ctx, d);
    expect(result).toMatchObject({ output: { model_name: 'fraud_detector', artifact_url: training.ModelArtifacts.S3ModelArtifacts, task: 'classification', rows: null, metrics: { train: { accuracy: 0.97 }, validation: null }, training_job_name: training.TrainingJobName } });
    expect(recorded[0]).toMatchObject({ trainingJobName: training.TrainingJobName, executionId: EXECUTION });
    const failed = await runAction(request('record_job', { training_error: { Error: 'SageMaker.AmazonSageMakerException', Cause: JSON.stringify({ FailureReason: 'ClientError: Unable to parse the CSV' }) } }), ctx, d).catch((e: unknown) => e);
    expect((failed as RunnerFailure).message).toBe('SageMaker training failed (SageMaker.AmazonSageMakerException): ClientError: Unable to parse the CSV');
  });

  it('prepare_job (AWS) checks the params and answers no variables and the training time limit', async () => {
    const { result } = await runAction(request('prepare_job'), ctx, deps().d);
    expect(result).toEqual({ action: 'prepare_job', environment: [], timeout_seconds: 3600 });
  });
});
