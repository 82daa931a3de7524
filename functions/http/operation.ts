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

/** Response headers an operation sets itself (the pipeline's own are documented for every route). */
export type OperationHeader = 'ETag' | 'Location' | 'Cache-Control' | 'WWW-Authenticate';

/** Another answer the operation gives besides its success status (documentation). */
export interface AlternativeResponse {
  description: string;
  schema?: Schema;
  headers?: readonly OperationHeader[];
  /** The media type of `schema`; default application/json. */
  mediaType?: string;
}

export interface OperationSpec<PS, QS, BS, RS> {
  params?: PS;
  query?: QS;
  body?: BS;
  /**
   * What the OpenAPI document shows for the body, when it is more precise than `body` (which the
   * pipeline validates): the workflow definitions, typed per dialect and node type. A function, so
   * a schema that only documents is built when the document is, not at every cold start.
   */
  documentedBody?: () => Schema;
  /** The body may be left out entirely (Behflow's execute, FlowRunner's refresh); it is then `{}`. */
  bodyOptional?: boolean;
  /** Media types the body may come in besides application/json (the same fields, form-encoded). */
  bodyMediaTypes?: readonly string[];
  /** The success response schema (documentation; the OpenAPI document is generated from it). */
  response?: RS;
  /** The media types `response` comes in; default application/json. */
  responseMediaTypes?: readonly string[];
  /** Success status code, for documentation. */
  status?: number;
  /** The operation honours `If-Match` (optimistic concurrency); documented as a header parameter. */
  ifMatch?: boolean;
  /** Headers the success response carries (ETag, Location). */
  headers?: readonly OperationHeader[];
  /** Other answers: a 503 health report, a 302 redirect, RFC 6749 errors. */
  responses?: Readonly<Record<number, AlternativeResponse>>;
  /**
   * Error statuses beyond the ones the route's shape implies (functions/system/openapi.ts): 401 on
   * a public route that checks a credential of its own, 409 on a read.
   */
  errors?: readonly number[];
  /** Error statuses the route's shape implies but this operation never answers. */
  noErrors?: readonly number[];
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
