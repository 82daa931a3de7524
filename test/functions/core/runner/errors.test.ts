import { describe, expect, it } from 'vitest';
import { RUNNER_ERRORS } from '../../../../statemachines/task-runner-contract.ts';
import {
  cancelled,
  httpStatusFailure,
  isRetryableStatus,
  nonRetryable,
  retryable,
  RUNNER_CANCELLED,
  RunnerFailure,
  toRunnerFailure,
} from '../../../../functions/core/runner/errors.ts';
import { HttpFailure, type HttpFailureKind } from '../../../../functions/core/runner/ports.ts';

describe('RunnerFailure', () => {
  it('factories set name and retryable', () => {
    expect(nonRetryable('no', { a: 1 })).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, retryable: false, message: 'no', details: { a: 1 } });
    expect(retryable('later')).toMatchObject({ name: RUNNER_ERRORS.retryable, retryable: true, message: 'later', details: undefined });
    expect(cancelled()).toMatchObject({ name: RUNNER_CANCELLED, retryable: false });
    expect(RUNNER_CANCELLED).toBe('Stepwise.Cancelled');
  });

  it('a custom name (fail nodes) is not retryable unless said so', () => {
    const failure = new RunnerFailure('PaymentDeclined', 'card declined');
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ name: 'PaymentDeclined', retryable: false });
  });
});

describe('HTTP status classification', () => {
  it.each([
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [408, true],
    [409, false],
    [422, false],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [304, false],
  ])('%i → retryable %s', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
    const failure = httpStatusFailure(status);
    expect(failure.retryable).toBe(expected);
    expect(failure.name).toBe(expected ? RUNNER_ERRORS.retryable : RUNNER_ERRORS.nonRetryable);
    expect(failure.message).toBe(`HTTP request failed with status ${status}`);
    expect(failure.details).toEqual({ status_code: status });
  });
});

describe('toRunnerFailure', () => {
  it('passes RunnerFailures through', () => {
    const failure = nonRetryable('x');
    expect(toRunnerFailure(failure)).toBe(failure);
  });

  it.each<[HttpFailureKind, string]>([
    ['blocked_address', RUNNER_ERRORS.nonRetryable],
    ['invalid_url', RUNNER_ERRORS.nonRetryable],
    ['too_many_redirects', RUNNER_ERRORS.nonRetryable],
    ['timeout', RUNNER_ERRORS.retryable],
    ['network', RUNNER_ERRORS.retryable],
    ['aborted', RUNNER_CANCELLED],
  ])('HttpFailure %s → %s', (kind, name) => {
    const failure = toRunnerFailure(new HttpFailure(kind, `it was ${kind}`));
    expect(failure.name).toBe(name);
    expect(failure.retryable).toBe(name === RUNNER_ERRORS.retryable);
    expect(failure.message).toBe(`it was ${kind}`);
  });

  it('aborts become cancellations', () => {
    const controller = new AbortController();
    controller.abort();
    expect(toRunnerFailure(new Error('whatever'), controller.signal).name).toBe(RUNNER_CANCELLED);
    expect(toRunnerFailure(Object.assign(new Error('aborted'), { name: 'AbortError' })).name).toBe(RUNNER_CANCELLED);
  });

  it('unclassified errors are retryable and keep their message', () => {
    expect(toRunnerFailure(new Error('ProvisionedThroughputExceededException'))).toMatchObject({
      name: RUNNER_ERRORS.retryable,
      retryable: true,
      message: 'ProvisionedThroughputExceededException',
    });
    expect(toRunnerFailure('boom').message).toBe('boom');
  });
});
