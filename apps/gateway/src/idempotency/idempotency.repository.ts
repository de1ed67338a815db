import { Inject, Injectable } from '@nestjs/common';
import { type IdempotencyRecord, part, Prisma, PRISMA, type PrismaClient, type StatementPart } from '#persistence';
import type { IdempotencyScope } from './idempotency-scope.js';

/** Keys are kept at least 24 h (API.md); we keep them a day longer. */
const RETENTION_MS = 48 * 60 * 60 * 1000;

/** The part of a claim that returns the key's row when this request claimed it: the claim's gate. */
export const CLAIMED = 'claimed';
const COMPLETED = 'completed';
const RELEASED = 'released';

/** The idempotency table: the parts that claim, complete and release a key, and its reads. */
@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Takes the key `in_flight` for `resourceId`, unless a request took it before (then no row). */
  claimPart(scope: IdempotencyScope, resourceId: string, now = new Date()): StatementPart {
    return part(
      CLAIMED,
      Prisma.sql`
      INSERT INTO idempotency_records (merchant_id, key, request_hash, state, resource_id, created_at, updated_at, expires_at)
      VALUES (${scope.merchantId}, ${scope.key}, ${scope.fingerprint}, 'in_flight', ${resourceId}, ${now}, ${now},
              ${new Date(now.getTime() + RETENTION_MS)})
      ON CONFLICT (merchant_id, key) DO NOTHING
      RETURNING key`,
    );
  }

  /** Stores the response of the key's request, for its replays. Must match a row. */
  completionPart(scope: IdempotencyScope, status: number, body: string): { part: StatementPart; required: string } {
    return {
      part: part(
        COMPLETED,
        Prisma.sql`
      UPDATE idempotency_records
         SET state = 'completed', response_status = ${status}::int, response_body = ${body}::text, updated_at = ${new Date()}::timestamp(3)
       WHERE merchant_id = ${scope.merchantId}::text AND key = ${scope.key}::text
      RETURNING key`,
      ),
      required: COMPLETED,
    };
  }

  /** Frees the key (its request failed in a way a retry may repeat). Must match a row. */
  releasePart(scope: IdempotencyScope): { part: StatementPart; required: string } {
    return {
      part: part(
        RELEASED,
        Prisma.sql`DELETE FROM idempotency_records WHERE merchant_id = ${scope.merchantId}::text AND key = ${scope.key}::text RETURNING key`,
      ),
      required: RELEASED,
    };
  }

  /**
   * Stores `status`/`body` on the key still in flight for `resourceId`, if any: the answer of a
   * request that stopped before it could store its own (an orphaned payment settled later).
   */
  completeInFlightPart(merchantId: string, resourceId: string, status: number, body: string, at: Date): StatementPart {
    return part(
      'in_flight_completed',
      Prisma.sql`
      UPDATE idempotency_records SET state = 'completed', response_status = ${status}::int, response_body = ${body}::text,
             updated_at = ${at}::timestamp(3)
       WHERE merchant_id = ${merchantId}::text AND resource_id = ${resourceId}::text AND state = 'in_flight'
      RETURNING key`,
    );
  }

  find(scope: Pick<IdempotencyScope, 'merchantId' | 'key'>): Promise<IdempotencyRecord | null> {
    return this.prisma.idempotencyRecord.findUnique({ where: { merchantId_key: { merchantId: scope.merchantId, key: scope.key } } });
  }

  /**
   * Deletes up to `batch` completed keys past their retention; returns how many. Only completed
   * keys: one still in flight belongs to a request that has not answered, or to an orphaned payment
   * that reconciliation has yet to settle.
   */
  purgeExpired(now: Date, batch: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM idempotency_records
       WHERE (merchant_id, key) IN (SELECT merchant_id, key FROM idempotency_records
                                     WHERE state = 'completed' AND expires_at < ${now}
                                     LIMIT ${batch})`;
  }
}
