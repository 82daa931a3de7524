import type { MiddlewareObj } from '@middy/core';
import { AppError, isAppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { errorResponse } from '../responses.ts';
import type { HttpEvent, HttpResponse, PipelineState } from '../types.ts';

/**
 * Every failure leaves as the one error shape. Client mistakes are AppErrors with their own status;
 * anything else is logged with its stack and answered as a bare 500 that leaks nothing.
 */
export function errorHandler(logger: Logger): MiddlewareObj<HttpEvent, HttpResponse, Error> {
  return {
    name: 'errorHandler',
    onError: (request) => {
      const state = request.internal as Partial<PipelineState>;
      const requestId = state.requestId ?? 'unknown';
      const error = request.error;
      if (isAppError(error)) {
        request.response = errorResponse(error, requestId);
        return;
      }
      logger.error('unhandled error', {
        request_id: requestId,
        route: `${request.event.httpMethod} ${request.event.resource}`,
        error: error?.name,
        detail: error?.message,
        stack: error?.stack,
      });
      request.response = errorResponse(new AppError('internal_error', 'An unexpected error occurred'), requestId);
    },
  };
}
