import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Refusal } from '../common/refusal.js';
import { requestTraceOf, traceLogFields } from '../logging/request-trace.js';
import { ApiError, type ApiErrorType, apiErrorBody } from './api-error.js';
import { refusalToApiError } from './refusal-to-api-error.js';

/** Turns every failure into the error body of API.md; unexpected ones become a logged 500. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = this.toApiError(exception, request);
    void reply.status(error.status).headers(error.headers).send(apiErrorBody(error, String(request.id)));
  }

  private toApiError(exception: unknown, request: FastifyRequest): ApiError {
    if (exception instanceof ApiError) return exception;
    if (exception instanceof Refusal) return refusalToApiError(exception);
    // Nest wraps Fastify's own client errors (bad JSON, body too large) in an HttpException.
    const fastifyError = (exception instanceof HttpException ? exception.cause : exception) as FastifyClientError;
    if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
      return fromFastifyError(fastifyError.statusCode, fastifyError.code);
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    this.logger.error({
      msg: `unhandled error on ${request.method} ${request.routeOptions?.url ?? 'unknown route'} (request ${request.id}): ${
        exception instanceof Error ? exception.stack : String(exception)
      }`,
      ...traceLogFields(requestTraceOf(request)),
    });
    return new ApiError(500, 'api_error', 'internal_error', 'An internal error occurred. It has been logged.');
  }
}

type FastifyClientError = { statusCode?: number; code?: string } | undefined;

function fromHttpException(exception: HttpException): ApiError {
  const status = exception.getStatus();
  if (status === 404) return new ApiError(404, 'not_found', 'route_not_found', 'Unrecognized request URL.');
  if (status === 401) return ApiError.unauthenticated(exception.message);
  const type: ApiErrorType = status >= 500 ? 'api_error' : 'invalid_request_error';
  return new ApiError(status, type, status === 413 ? 'body_too_large' : 'invalid_request', exception.message);
}

function fromFastifyError(status: number, code: string | undefined): ApiError {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'invalid_request_error', 'body_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'invalid_request_error', 'unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    default:
      if (status === 400 || code?.startsWith('FST_ERR_CTP')) {
        return ApiError.invalid('invalid_json', 'The request body is not valid JSON.');
      }
      return new ApiError(status, 'invalid_request_error', 'invalid_request', 'The request is invalid.');
  }
}
