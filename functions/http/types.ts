import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Principal } from '../core/principal.ts';

export type HttpEvent = APIGatewayProxyEvent;
export type HttpResponse = APIGatewayProxyResult & { headers: Record<string, string> };

/** What an operation returns; the pipeline turns it into a proxy response. */
export interface HttpResult {
  status: number;
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent verbatim instead of `body` (HTML docs); set Content-Type in `headers`. */
  text?: string;
  headers?: Record<string, string>;
}

/** State the middlewares hand to the dispatcher, kept on `request.internal`. */
export interface PipelineState extends Record<string, unknown> {
  requestId: string;
  headers: Record<string, string>;
  body: unknown;
  principal: Principal | undefined;
  rateLimitHeaders: Record<string, string>;
}
