import type { FastifyReply } from 'fastify';
import type { StoredResponse } from '../idempotency-scope.js';

/** Sends a stored response as stored: the same bytes on first answer and on every replay. */
export function sendStoredResponse(reply: FastifyReply, response: StoredResponse): void {
  if (response.replayed) void reply.header('idempotent-replayed', 'true');
  void reply.status(response.status).header('content-type', 'application/json; charset=utf-8').send(response.body);
}
