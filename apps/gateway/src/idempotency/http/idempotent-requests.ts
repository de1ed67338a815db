import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import '../../common/answered-value.js';
import { Refusal } from '../../common/refusal.js';
import { ApiError } from '../../errors/api-error.js';
import { refusalToApiError } from '../../errors/refusal-to-api-error.js';
import type { IdempotencyKey } from '../idempotency-key.js';
import { IdempotencyKeys } from '../idempotency-keys.js';
import type { IdempotencyScope, StoredResponse } from '../idempotency-scope.js';
import { requireIdempotencyKey } from './idempotency-key.header.js';
import { requestFingerprint } from './request-fingerprint.js';
import { sendStoredResponse } from './send-stored-response.js';

/** The HTTP answer to a use case's result: what is stored with the key and sent on every replay. */
export interface Answer {
  status: number;
  body: unknown;
}

/** The request's key was claimed by an earlier request: it is answered from the stored record. */
class KeyTaken extends Error {}

/** The scope of a money-moving request: the merchant, its Idempotency-Key header and what it asked. */
export function idempotencyScope(merchantId: string, request: FastifyRequest, header: string | string[] | undefined): IdempotencyScope {
  const path = request.url.split('?', 1)[0] ?? request.url;
  return { merchantId, key: requireIdempotencyKey(header), fingerprint: requestFingerprint(request.method, path, request.body ?? {}) };
}

/**
 * Idempotent requests at the HTTP layer: runs the use case with its key, answers with the stored
 * response (the same bytes on the first answer and on every replay), replays a retry, and turns a
 * refusal into its API error.
 */
@Injectable()
export class IdempotentRequests {
  constructor(private readonly keys: IdempotencyKeys) {}

  async run<Result>(
    scope: IdempotencyScope,
    answer: (result: Result) => Answer,
    useCase: (key: IdempotencyKey<Result>) => Promise<Result | Refusal>,
  ): Promise<StoredResponse> {
    let claimed = false;
    let response: StoredResponse | undefined;
    let released = false;
    const key: IdempotencyKey<Result> = {
      claim: async (resourceId, unit) => {
        const claim = await this.keys.claim(scope, resourceId, unit);
        if (claim === 'taken') throw new KeyTaken();
        if (claim instanceof Refusal) return claim;
        claimed = true;
        return undefined;
      },
      complete: async (unit, result) => {
        const { status, body } = answer(result);
        const text = JSON.stringify(body);
        await this.keys.complete(scope, unit, status, text);
        response = { status, body: text, replayed: false };
      },
      release: async (unit) => {
        await this.keys.release(scope, unit);
        released = true;
      },
      replayIfClaimed: async () => {
        if (await this.keys.find(scope)) throw new KeyTaken();
      },
    };
    let result: Result | Refusal;
    try {
      result = await useCase(key);
    } catch (error) {
      if (error instanceof KeyTaken) return this.replay(scope);
      throw error;
    }
    if (result instanceof Refusal) {
      if (claimed && !released) throw new Error(`a use case refused after claiming idempotency key ${scope.key} without releasing it`);
      throw refusalToApiError(result);
    }
    if (!response) throw new Error(`a use case answered without completing idempotency key ${scope.key}`);
    return response;
  }

  /**
   * `run`, then sends the stored answer as stored (the same bytes on every replay); the value a first
   * answer was serialized from stays on the request for the hooks (request-log-fields.ts).
   */
  async respond<Result>(
    reply: FastifyReply,
    scope: IdempotencyScope,
    answer: (result: Result) => Answer,
    useCase: (key: IdempotencyKey<Result>) => Promise<Result | Refusal>,
  ): Promise<void> {
    let answered: unknown;
    const keepingValue = (result: Result): Answer => {
      const kept = answer(result);
      answered = kept.body;
      return kept;
    };
    const response = await this.run(scope, keepingValue, useCase);
    if (!response.replayed) reply.request.answered = answered;
    sendStoredResponse(reply, response);
  }

  private async replay(scope: IdempotencyScope): Promise<StoredResponse> {
    const record = await this.keys.find(scope);
    if (!record) {
      // The first request failed and released the key between our claim and this read.
      throw new ApiError(409, 'idempotency_error', 'idempotency_key_in_flight',
        'A request with this Idempotency-Key just finished without a stored result; retry it.');
    }
    if (record.requestHash !== scope.fingerprint) {
      throw new ApiError(422, 'idempotency_error', 'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request (method, path or body).');
    }
    if (record.state !== 'completed' || record.responseStatus === null || record.responseBody === null) {
      throw new ApiError(409, 'idempotency_error', 'idempotency_key_in_flight',
        'A request with this Idempotency-Key is still being processed; retry after it completes.');
    }
    return { status: record.responseStatus, body: record.responseBody, replayed: true };
  }
}
