import { describe, expect, it } from 'vitest';
import { parseCsv, train } from '../../../../functions/core/ml/trainer.ts';
import { TrainingError } from '../../../../functions/core/ml/training.ts';
import { classificationCsv, regressionCsv } from '../../../support/ml-datasets.ts';


describe('local ml training', () => {
  it('xgboost (the random-forest stand-in) classifies a generated dataset with at least 90 % validation accuracy', () => {
    const data = parseCsv(classificationCsv(600));
    const result = train(data, 'xgboost', { max_depth: 6, learning_rate: 0.1 });
    expect(result.task).toBe('classification');
    expect(result.rows).toEqual({ total: 600, train: 480, validation: 120 });
    expect(result.metrics.validation).toEqual({ accuracy: expect.any(Number) });
    expect((result.metrics.validation as { accuracy: number }).accuracy).toBeGreaterThanOrEqual(0.9);
    expect(result.ignoredHyperparameters).toEqual(['learning_rate']);
    expect(result.implementation).toMatch(/RandomForestClassifier/);
    expect(JSON.parse(JSON.stringify(result.artifact))).toMatchObject({ format: 'stepwise-model/1', algorithm: 'xgboost', classes: [0, 1] });
  });

  it('the same data and seed give the same split and metrics; another seed another split', () => {
    const data = parseCsv(classificationCsv(300));
    expect(train(data, 'xgboost', { num_round: 10 }).metrics).toEqual(train(data, 'xgboost', { num_round: 10 }).metrics);
    expect(train(data, 'linear-learner', { seed: 1 }).metrics).not.toEqual(train(data, 'linear-learner', { seed: 2 }).metrics);
  });

  it('linear-learner classifies with logistic regression at 90 % or more', () => {
    const result = train(parseCsv(classificationCsv(600)), 'linear-learner', { predictor_type: 'binary_classifier' });
    expect(result.implementation).toMatch(/logistic/);
    expect((result.metrics.validation as { accuracy: number }).accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('linear-learner as a regressor fits a linear function with a validation RMSE under 0.4', () => {
    const result = train(parseCsv(regressionCsv(400)), 'linear-learner', { predictor_type: 'regressor' });
    expect(result.task).toBe('regression');
    const { rmse } = result.metrics.validation as { rmse: number };
    expect(rmse).toBeGreaterThan(0.1);
    expect(rmse).toBeLessThan(0.4);
  });

  it('real-valued labels are a regression without being told; xgboost then regresses with its forest', () => {
    const result = train(parseCsv(regressionCsv(300)), 'xgboost');
    expect(result.task).toBe('regression');
    expect((result.metrics.validation as { rmse: number }).rmse).toBeLessThan(5);
  });

  it('a bad CSV fails naming the line and column', () => {
    expect(() => parseCsv('1,2,3\n0,abc,4\n')).toThrow(/line 2, column 2: "abc" is not a number/);
    expect(() => parseCsv('1,2,3\n0,1\n')).toThrow(/line 2 has 2 columns, the first has 3/);
    expect(() => parseCsv('1,2\n0,1\n')).toThrow(/at least 10 are needed/);
    expect(() => parseCsv('')).toThrow(TrainingError);
    expect(() => parseCsv('1\n'.repeat(20))).toThrow(/needs the label and at least one feature/);
  });

  it('bad hyperparameters and a single class fail naming the field', () => {
    const data = parseCsv(classificationCsv(100));
    expect(() => train(data, 'xgboost', { max_depth: 100 })).toThrow(/hyperparameters\.max_depth must be an integer from 1 to 20/);
    expect(() => train(data, 'xgboost', { objective: 'rank:pairwise' })).toThrow(/hyperparameters\.objective/);
    expect(() => train(data, 'linear-learner', { predictor_type: 'ranker' })).toThrow(/hyperparameters\.predictor_type/);
    expect(() => train(parseCsv('1,1\n'.repeat(20)), 'xgboost', { objective: 'binary:logistic' })).toThrow(/at least two distinct labels/);
  });
});
