import { afterAll, beforeAll, inject } from 'vitest';
import { VIOLATIONS_PATH, type ContractViolation } from './validating-proxy.ts';

/**
 * Every e2e file ends by asking the validating proxy what broke the OpenAPI document while it ran
 * (test/support/validating-proxy.ts): responses to curl, Python and fetch traffic that the API
 * client's own check never sees. Any mismatch fails the file it happened in (and, when files
 * overlap, the ones running beside it), so a run with a contract violation never passes.
 */
const violations = async () => (await (await fetch(`${inject('baseUrl')}${VIOLATIONS_PATH}`)).json()) as ContractViolation[];

let seen = 0;
beforeAll(async () => {
  seen = (await violations()).length;
});

afterAll(async () => {
  const problems = (await violations()).slice(seen).flatMap((v) => v.problems);
  if (problems.length) throw new Error(`${problems.length} responses broke the OpenAPI document:\n${problems.join('\n')}`);
});
