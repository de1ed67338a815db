import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type PrismaClient, prismaSqlClient, type SqlClient } from '#persistence';
import { type Cte, cte, type FusedWrites, fusedStatement, runFused } from '../common/fused-statement.js';
import { PRISMA, SQL } from '../common/tokens.js';
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
 * Writes that commit atomically with a step of the key: a function over an interactive transaction
 * (it may read, and refuse by throwing), or the parts of one fused statement (one round trip).
 */
export type Writes = ((tx: Tx) => Promise<void>) | FusedWrites;

/**
 * What an operation decided after its provider call: respond (and remember the response), or fail
 * in a way that leaves the key free for a retry (nothing was committed that a retry would repeat).
 */
export type OperationResult =
  | { kind: 'respond'; status: number; body: unknown; commit: Writes }
  | { kind: 'fail'; error: ApiError; undo(tx: Tx): Promise<void> };

export interface IdempotentOperation {
  /**
   * Written with the claim of the key. The function form may throw an ApiError to refuse (nothing
   * is stored); fused parts must select from the part named `CLAIMED`, so that a key already taken
   * writes nothing.
   */
  claim: Writes;
  /** The provider call; runs outside any transaction. */
  perform(): Promise<OperationResult>;
}

/** The part of a fused claim that returns the key's row when this request claimed it. */
export const CLAIMED = 'claimed';

@Injectable()
export class IdempotencyService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SQL) private readonly sql: SqlClient,
  ) {}

  /**
   * Runs `operation` once per (merchant, key). The database primary key decides who runs it, so
   * concurrent retries on several gateway processes still run it once: the rest replay or get 409.
   */
  async execute(scope: IdempotencyScope, resourceId: string, operation: IdempotentOperation): Promise<StoredResponse> {
    const claimed = await this.claim(scope, resourceId, operation.claim);
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
    const completion = completionPart(scope, result.status, body);
    const what = `completion of idempotency key ${scope.key}`;
    const commit = result.commit;
    if (typeof commit === 'function') {
      await this.prisma.$transaction(async (tx) => {
        await commit(tx);
        await runFused(prismaSqlClient(tx), fusedStatement({ ctes: [completion], mustAffect: [completion.name] }), what);
      });
    } else {
      const statement = fusedStatement({ ctes: [...commit.ctes, completion], mustAffect: [...commit.mustAffect, completion.name] });
      await runFused(this.sql, statement, what);
    }
    return { status: result.status, body, replayed: false };
  }

  private async claim(scope: IdempotencyScope, resourceId: string, writes: Writes): Promise<boolean> {
    const claimPart = claimingPart(scope, resourceId);
    const select = Prisma.sql`SELECT key FROM ${Prisma.raw(CLAIMED)}`;
    if (typeof writes !== 'function') {
      const rows = await runFused(this.sql, fusedStatement({ ctes: [claimPart, ...writes.ctes], mustAffect: [] }, select), 'claim');
      return rows.length > 0;
    }
    return this.prisma.$transaction(async (tx) => {
      const rows = await runFused(prismaSqlClient(tx), fusedStatement({ ctes: [claimPart], mustAffect: [] }, select), 'claim');
      if (rows.length === 0) return false;
      await writes(tx);
      return true;
    });
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

function claimingPart(scope: IdempotencyScope, resourceId: string): Cte {
  const now = new Date();
  return cte(
    CLAIMED,
    Prisma.sql`
      INSERT INTO idempotency_records (merchant_id, key, request_hash, state, resource_id, created_at, updated_at, expires_at)
      VALUES (${scope.merchantId}, ${scope.key}, ${scope.fingerprint}, 'in_flight', ${resourceId}, ${now}, ${now},
              ${new Date(now.getTime() + RETENTION_MS)})
      ON CONFLICT (merchant_id, key) DO NOTHING
      RETURNING key`,
  );
}

function completionPart(scope: IdempotencyScope, status: number, body: string): Cte {
  return cte(
    'completed',
    Prisma.sql`
      UPDATE idempotency_records
         SET state = 'completed', response_status = ${status}::int, response_body = ${body}::text, updated_at = ${new Date()}::timestamp(3)
       WHERE merchant_id = ${scope.merchantId}::text AND key = ${scope.key}::text
      RETURNING key`,
  );
}
