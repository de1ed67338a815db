import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors/api-error.js';

/**
 * CORS of POST /v1/tokens, the one route a browser calls with a publishable key. The preflight
 * carries no key, so it is answered for any origin; the request itself is checked against the key's
 * merchant: its allowed origins, or the gateway's own (the hosted card form): the origin of
 * CANOPY_PUBLIC_URL (behind a proxy) or of the Host the request came to. Requests without an Origin
 * (servers) pass.
 */
export function answerPreflight(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (origin) {
    void reply.headers({
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
  }
  void reply.status(204).send();
}

export function allowOrigin(request: FastifyRequest, allowedOrigins: readonly string[], publicOrigin: string): void {
  const origin = request.headers.origin?.toLowerCase();
  if (!origin) return;
  const own = [publicOrigin.toLowerCase(), `${request.protocol}://${request.headers.host ?? ''}`.toLowerCase()];
  if (!own.includes(origin) && !allowedOrigins.includes(origin)) {
    throw new ApiError(
      403,
      'authentication_error',
      'origin_not_allowed',
      `Pages of ${request.headers.origin} may not create tokens with this key; add the origin to the merchant's allowed_origins.`,
    );
  }
}
