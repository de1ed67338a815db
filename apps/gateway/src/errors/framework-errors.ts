import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, apiErrorBody } from './api-error.js';

/**
 * Fastify's router answers a malformed URL (bad percent-encoding) or an over-long path parameter
 * before any route, hook or Nest filter runs: this gives those answers the error body of API.md.
 */
export function frameworkErrors(error: { statusCode?: number }, request: FastifyRequest, reply: FastifyReply): void {
  const apiError =
    error.statusCode === 414
      ? new ApiError(414, 'invalid_request_error', 'uri_too_long', 'A path parameter of the request URL is too long.')
      : ApiError.invalid('invalid_url', 'The request URL is not validly encoded.');
  void reply
    .status(apiError.status)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('request-id', String(request.id))
    .send(apiErrorBody(apiError, String(request.id)));
}
