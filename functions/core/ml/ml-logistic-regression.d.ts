/** The part of ml-logistic-regression (which ships no types) the trainer uses. */
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';

  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    train(features: Matrix, target: Matrix): void;
    predict(features: Matrix): number[];
    toJSON(): Record<string, unknown>;
  }
}
