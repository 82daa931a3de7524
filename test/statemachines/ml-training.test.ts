import { describe, expect, it } from 'vitest';
import type { AslTaskState } from '../../statemachines/asl/types.ts';
import { compileWorkflow } from '../../statemachines/compile/compile.ts';
import { compile, ir, issues, OPTIONS } from './support/fixtures.ts';

const TRAINING = { roleArn: 'arn:aws:iam::123456789012:role/stepwise-dev-sagemaker', bucket: 'stepwise-dev-data-123456789012', region: 'us-east-1' };
/** FlowCtl's ml_training example, its dataset in the stage's data bucket. */
const flow = (payload: Record<string, unknown> = {}) => ({
  name: 'Train',
  tasks: [{ name: 'train', type: 'ml_training', payload: { model_name: 'fraud_detector', dataset_url: `s3://${TRAINING.bucket}/ml-data/training.csv`, algorithm: 'xgboost', hyperparameters: { max_depth: 6, learning_rate: 0.1 }, ...payload } }],
});

describe('ml_training on AWS: prepare → sagemaker:createTrainingJob.sync → record', () => {
  it('lowers the node to the SageMaker .sync integration with the region’s built-in image, CSV, the SageMaker role and the model bucket', () => {
    const states = compile(flow(), { training: TRAINING }).definition.States;
    expect(Object.keys(states).filter((n) => n.startsWith('train'))).toEqual(expect.arrayContaining(['train', 'train (training)', 'train (record)', 'train (training failed)']));
    const job = states['train (training)'] as AslTaskState;
    expect(job.Resource).toBe('arn:aws:states:::sagemaker:createTrainingJob.sync');
    expect(job.Parameters).toEqual({
      'TrainingJobName.$': "States.Format('sw-{}', States.UUID())",
      AlgorithmSpecification: { TrainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', TrainingInputMode: 'File' },
      RoleArn: TRAINING.roleArn,
      HyperParameters: { max_depth: '6', learning_rate: '0.1', num_round: '100' },
      InputDataConfig: [{ ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${TRAINING.bucket}/ml-data/training.csv`, S3DataDistributionType: 'FullyReplicated' } } }],
      OutputDataConfig: { S3OutputPath: `s3://${TRAINING.bucket}/models/${OPTIONS.accountId}/fraud_detector/` },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 10 },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    });
    expect(job.ResultPath).toBe('$.training');
    expect(job.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.training_error', Next: 'train (training failed)' }]);
    expect(job.Next).toBe('train (record)');
    expect((states.train as AslTaskState).Parameters).toMatchObject({ Payload: { action: 'prepare_job', node_type: 'ml_training' } });
    expect((states['train (record)'] as AslTaskState).Parameters).toMatchObject({ Payload: { action: 'record_job', 'training.$': '$.training' } });
    expect((states['train (training failed)'] as AslTaskState).Parameters).toMatchObject({ Payload: { action: 'record_job', 'training_error.$': '$.training_error' } });
  });

  it('linear-learner gets its own image per region and keeps its hyperparameters as SageMaker’s strings', () => {
    const states = compile(flow({ algorithm: 'linear-learner', hyperparameters: { predictor_type: 'binary_classifier' } }), { training: { ...TRAINING, region: 'eu-west-1' } }).definition.States;
    const job = states['train (training)'] as AslTaskState;
    expect((job.Parameters as { AlgorithmSpecification: { TrainingImage: string } }).AlgorithmSpecification.TrainingImage).toBe('438346466558.dkr.ecr.eu-west-1.amazonaws.com/linear-learner:1');
    expect((job.Parameters as { HyperParameters: unknown }).HyperParameters).toEqual({ predictor_type: 'binary_classifier' });
  });

  it('no secret can reach the state: ml_training takes no {{secrets.*}} (validation), and on AWS no template at all', () => {
    expect(issues(flow({ hyperparameters: { token: '{{secrets.API_KEY}}' } })).map((i) => i.code)).toContain('secret_not_allowed');
    const templated = compileWorkflow(ir(flow({ dataset_url: '{{input.dataset}}' })), { ...OPTIONS, training: TRAINING });
    expect(templated).toMatchObject({ ok: false, issues: [{ node: 'train', code: 'invalid_params', message: expect.stringContaining('no {{templates}}') }] });
    expect(JSON.stringify(compile(flow(), { training: TRAINING }).definition)).not.toContain('secrets');
  });

  it('refuses, naming the field, a dataset outside the data bucket or inside models/, an unmapped region, and linear-learner without predictor_type', () => {
    const refused = (payload: Record<string, unknown>, training = TRAINING) => {
      const result = compileWorkflow(ir(flow(payload)), { ...OPTIONS, training });
      return result.ok ? [] : result.issues.map((i) => [i.field, i.message]);
    };
    expect(refused({ dataset_url: 's3://someone-else/training.csv' })).toEqual([['dataset_url', expect.stringContaining(`must be s3://${TRAINING.bucket}/<key>`)]]);
    expect(refused({ dataset_url: `s3://${TRAINING.bucket}/models/acct_x/m/model.tar.gz` })).toEqual([['dataset_url', expect.stringContaining('outside models/')]]);
    expect(refused({ dataset_url: 'https://example.com/train.csv' })).toEqual([['dataset_url', expect.any(String)]]);
    expect(refused({}, { ...TRAINING, region: 'ap-south-2' })).toEqual([['algorithm', expect.stringContaining('not mapped for region ap-south-2')]]);
    expect(refused({ algorithm: 'linear-learner', hyperparameters: {} })).toEqual([['hyperparameters.predictor_type', expect.stringContaining('predictor_type')]]);
  });

  it('locally (no training target) the node stays one runner Task the runner executes', () => {
    const states = compile(flow()).definition.States;
    expect((states.train as AslTaskState).Parameters).toMatchObject({ Payload: { action: 'execute', node_type: 'ml_training' } });
    expect(Object.keys(states).some((n) => n.includes('(training)'))).toBe(false);
  });
});
