import { fingerprintOf, idempotencyKeyOf, runIdempotent, type IdempotencyStore } from '../core/idempotency/idempotency.ts';
import type { RouteDefinition } from '../../lib/definitions/routes.ts';
import type { Logger } from '../core/logger.ts';
import type { HttpResult, PipelineState } from './types.ts';

/**
 * Runs an `idempotency: 'pipeline'` route under the caller's Idempotency-Key (docs/api.md#idempotent-creates): keys
 * are per account and per operation, and requests without one, or without a principal, just run.
 */
export async function idempotentRun(store: IdempotencyStore, route: RouteDefinition, state: PipelineState, run: () => Promise<HttpResult>, logger: Logger): Promise<HttpResult> {
  const key = idempotencyKeyOf(state.headers);
  const accountId = state.principal?.accountId;
  if (key === undefined || accountId === undefined) return run();
  return runIdempotent(
    store,
    { accountId, operation: route.operation, key },
    fingerprintOf(state.body),
    new Date(),
    async () => {
      const result = await run();
      return { status: result.status, body: result.body, headers: result.headers ?? {} };
    },
    (error) => logger.warn('idempotency: could not keep the response', { request_id: state.requestId, operation: route.operation, error: (error as Error).message }),
  );
}
