import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '#persistence';
import { PRISMA } from '../common/tokens.js';
import { ApiError } from '../errors/api-error.js';

/** Keys are kept at least 24 h (API.md); we keep them a day longer. */
const RETENTION_MS = 48 * 60 * 60 * 1000;

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface IdempotencyScope {
  merchantId: string;
  key: string;
  fingerprint: string;
}

export interface StoredResponse {
  status: number;
  /** Serialized once, so a replay is byte-identical. */
  body: string;
  replayed: boolean;
}

/**
 * What an operation decided after its provider call: respond (and remember the response), or fail
 * in a way that leaves the key free for a retry (nothing was committed that a retry would repeat).
 */
export type OperationResult =
  | { kind: 'respond'; status: number; body: unknown; commit(tx: Tx): Promise<void> }
  | { kind: 'fail'; error: ApiError; undo(tx: Tx): Promise<void> };

export interface IdempotentOperation {
  /** Runs in the same transaction that claims the key; throw an ApiError to refuse (nothing stored). */
  claim(tx: Tx): Promise<void>;
  /** The provider call; runs outside any transaction. */
  perform(): Promise<OperationResult>;
}

@Injectable()
export class IdempotencyService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /**
   * Runs `operation` once per (merchant, key). The database primary key decides who runs it, so
   * concurrent retries on several gateway processes still run it once: the rest replay or get 409.
   */
  async execute(scope: IdempotencyScope, resourceId: string, operation: IdempotentOperation): Promise<StoredResponse> {
    const claimed = await this.prisma.$transaction(async (tx) => {
      const now = new Date();
      const inserted = await tx.$queryRaw<{ key: string }[]>`
        INSERT INTO idempotency_records
          (merchant_id, key, request_hash, state, resource_id, created_at, updated_at, expires_at)
        VALUES (${scope.merchantId}, ${scope.key}, ${scope.fingerprint}, 'in_flight', ${resourceId},
                ${now}, ${now}, ${new Date(now.getTime() + RETENTION_MS)})
        ON CONFLICT (merchant_id, key) DO NOTHING
        RETURNING key`;
      if (inserted.length === 0) return false;
      await operation.claim(tx);
      return true;
    });
    if (!claimed) return this.replay(scope);

    const result = await operation.perform();
    if (result.kind === 'fail') {
      await this.prisma.$transaction(async (tx) => {
        await result.undo(tx);
        await tx.idempotencyRecord.delete({ where: { merchantId_key: { merchantId: scope.merchantId, key: scope.key } } });
      });
      throw result.error;
    }
    const body = JSON.stringify(result.body);
    await this.prisma.$transaction(async (tx) => {
      await result.commit(tx);
      // Not `update()`: that reads the whole record (the body included) back for nothing.
      const completed = await tx.$executeRaw`
        UPDATE idempotency_records
        SET state = 'completed', response_status = ${result.status}, response_body = ${body}, updated_at = ${new Date()}
        WHERE merchant_id = ${scope.merchantId} AND key = ${scope.key}`;
      if (completed !== 1) throw new Error(`idempotency record ${scope.key} vanished before completion`);
    });
    return { status: result.status, body, replayed: false };
  }

  private async replay(scope: IdempotencyScope): Promise<StoredResponse> {
    const record = await this.prisma.idempotencyRecord.findUnique({
      where: { merchantId_key: { merchantId: scope.merchantId, key: scope.key } },
    });
    if (!record) {
      // The first request failed and released the key between our INSERT and this read.
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
