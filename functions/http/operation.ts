import type { z } from 'zod';
import type { Principal } from '../core/principal.ts';
import type { HttpResult } from './types.ts';

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface OperationContext<P, Q, B, Auth extends Principal | undefined> {
  params: P;
  query: Q;
  body: B;
  principal: Auth;
  headers: Record<string, string>;
  requestId: string;
  /** The client address API Gateway saw (login throttling, per-address rate limits). */
  sourceIp: string;
}

export interface OperationSpec<PS, QS, BS, RS> {
  params?: PS;
  query?: QS;
  body?: BS;
  /** The success response schema (documentation; the OpenAPI document is generated from it). */
  response?: RS;
  /** Success status code, for documentation. */
  status?: number;
  description?: string;
}

/** A route's behaviour: schemas for what comes in and goes out, and the function that does the work. */
export interface Operation {
  readonly authenticated: boolean;
  readonly spec: OperationSpec<Schema | undefined, Schema | undefined, Schema | undefined, Schema | undefined>;
  run(ctx: OperationContext<unknown, unknown, unknown, Principal | undefined>): Promise<HttpResult>;
}

/** An operation that needs a principal; the route table gives its required scope. */
export function operation<
  PS extends Schema | undefined = undefined,
  QS extends Schema | undefined = undefined,
  BS extends Schema | undefined = undefined,
  RS extends Schema | undefined = undefined,
>(
  spec: OperationSpec<PS, QS, BS, RS>,
  run: (ctx: OperationContext<Out<PS>, Out<QS>, Out<BS>, Principal>) => Promise<HttpResult>,
): Operation {
  return { authenticated: true, spec, run: run as Operation['run'] };
}

/** An operation open to anonymous callers (register, login, health, docs). */
export function publicOperation<
  PS extends Schema | undefined = undefined,
  QS extends Schema | undefined = undefined,
  BS extends Schema | undefined = undefined,
  RS extends Schema | undefined = undefined,
>(
  spec: OperationSpec<PS, QS, BS, RS>,
  run: (ctx: OperationContext<Out<PS>, Out<QS>, Out<BS>, Principal | undefined>) => Promise<HttpResult>,
): Operation {
  return { authenticated: false, spec, run: run as Operation['run'] };
}
