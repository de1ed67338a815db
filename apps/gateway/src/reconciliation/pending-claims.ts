import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '#persistence';
import { PRISMA } from '../common/tokens.js';
import { nextCheckDelayMs } from './check-schedule.js';

/**
 * A pending payment leased to one reconciler, with what its status inquiry needs. Without a route
 * it is an orphan: the request that created it stopped before recording where it went.
 */
export interface ClaimedPayment {
  id: string;
  merchantId: string;
  amount: number;
  capture: boolean;
  routePath: string | null;
  holdingAttemptId: string | null;
  providerReference: string | null;
  /** Checks including this one. */
  checks: number;
}

/** An authorized payment whose capture or void went unanswered, leased to one reconciler. */
export interface ClaimedOperation {
  id: string;
  merchantId: string;
  operation: 'capture' | 'void';
  routePath: string;
  holdingAttemptId: string;
  providerReference: string | null;
  checks: number;
}

/** A pending refund leased to one reconciler, with the address of the payment it refunds. */
export interface ClaimedRefund {
  id: string;
  paymentId: string;
  merchantId: string;
  amount: number;
  currency: string;
  reason: string | null;
  routePath: string;
  holdingAttemptId: string;
  providerReference: string | null;
  checks: number;
}

export interface ClaimOptions {
  now: Date;
  /** Every scheduled row, due or not (a manual run). */
  force: boolean;
  leaseMs: number;
  limit: number;
}

/** A manual run treats every scheduled row as due. */
const END_OF_TIME = new Date('9999-12-31T00:00:00Z');

/**
 * Leases of pending payments and refunds for reconciliation. A row is scheduled once its outcome
 * is known to be unknown (`next_check_at` set when the request that left it pending committed), so
 * a payment or refund still in its own request is never picked up. A payment is also scheduled
 * when it is created, for long after its request's deadline: due, still without a route, it is an
 * orphan (its request stopped between its two commits); a manual run does not hurry those. Claims use FOR UPDATE SKIP
 * LOCKED and a lease (`check_lease_until`), so reconcilers in one or several processes sharing a
 * database never check the same row at the same time.
 */
@Injectable()
export class PendingClaims {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async claimPayments({ now, force, leaseMs, limit }: ClaimOptions): Promise<ClaimedPayment[]> {
    const dueBy = force ? END_OF_TIME : now;
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const rows = await this.prisma.$queryRaw<
      { id: string; merchant_id: string; amount: number; capture: boolean; route_path: string | null; holding_attempt_id: string | null; provider_reference: string | null; check_count: number }[]
    >`
      UPDATE payments AS p
         SET check_lease_until = ${leaseUntil}, check_count = p.check_count + 1
        FROM (SELECT id FROM payments
               WHERE status = 'pending' AND next_check_at IS NOT NULL
                 AND (CASE WHEN route_path IS NOT NULL AND holding_attempt_id IS NOT NULL THEN next_check_at <= ${dueBy}
                           ELSE next_check_at <= ${now} END)
                 AND (check_lease_until IS NULL OR check_lease_until <= ${now})
               ORDER BY next_check_at, id
               LIMIT ${limit}
               FOR UPDATE SKIP LOCKED) AS due
       WHERE p.id = due.id
      RETURNING p.id, p.merchant_id, p.amount, p.capture, p.route_path, p.holding_attempt_id, p.provider_reference, p.check_count`;
    return rows.map((row) => ({
      id: row.id,
      merchantId: row.merchant_id,
      amount: Number(row.amount),
      capture: row.capture,
      routePath: row.route_path,
      holdingAttemptId: row.holding_attempt_id,
      providerReference: row.provider_reference,
      checks: Number(row.check_count),
    }));
  }

  /** Authorized payments with an unanswered capture or void (see markUnresolved), due for a check. */
  async claimOperations({ now, force, leaseMs, limit }: ClaimOptions): Promise<ClaimedOperation[]> {
    const dueBy = force ? END_OF_TIME : now;
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const rows = await this.prisma.$queryRaw<
      { id: string; merchant_id: string; operation_in_flight: 'capture' | 'void'; route_path: string; holding_attempt_id: string; provider_reference: string | null; check_count: number }[]
    >`
      UPDATE payments AS p
         SET check_lease_until = ${leaseUntil}, check_count = p.check_count + 1
        FROM (SELECT id FROM payments
               WHERE status = 'authorized' AND operation_in_flight IN ('capture', 'void')
                 AND next_check_at IS NOT NULL AND next_check_at <= ${dueBy}
                 AND route_path IS NOT NULL AND holding_attempt_id IS NOT NULL
                 AND (check_lease_until IS NULL OR check_lease_until <= ${now})
               ORDER BY next_check_at, id
               LIMIT ${limit}
               FOR UPDATE SKIP LOCKED) AS due
       WHERE p.id = due.id
      RETURNING p.id, p.merchant_id, p.operation_in_flight, p.route_path, p.holding_attempt_id, p.provider_reference, p.check_count`;
    return rows.map((row) => ({
      id: row.id,
      merchantId: row.merchant_id,
      operation: row.operation_in_flight,
      routePath: row.route_path,
      holdingAttemptId: row.holding_attempt_id,
      providerReference: row.provider_reference,
      checks: Number(row.check_count),
    }));
  }

  async claimRefunds({ now, force, leaseMs, limit }: ClaimOptions): Promise<ClaimedRefund[]> {
    const dueBy = force ? END_OF_TIME : now;
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const rows = await this.prisma.$queryRaw<
      { id: string; payment_id: string; merchant_id: string; amount: number; currency: string; reason: string | null; check_count: number }[]
    >`
      UPDATE refunds AS r
         SET check_lease_until = ${leaseUntil}, check_count = r.check_count + 1
        FROM (SELECT id FROM refunds
               WHERE status = 'pending' AND next_check_at IS NOT NULL AND next_check_at <= ${dueBy}
                 AND (check_lease_until IS NULL OR check_lease_until <= ${now})
               ORDER BY next_check_at, id
               LIMIT ${limit}
               FOR UPDATE SKIP LOCKED) AS due
       WHERE r.id = due.id
      RETURNING r.id, r.payment_id, r.merchant_id, r.amount, r.currency, r.reason, r.check_count`;
    if (rows.length === 0) return [];
    const payments = await this.prisma.payment.findMany({
      where: { id: { in: rows.map((row) => row.payment_id) } },
      select: { id: true, routePath: true, holdingAttemptId: true, providerReference: true },
    });
    const byId = new Map(payments.map((payment) => [payment.id, payment]));
    return rows.flatMap((row) => {
      const payment = byId.get(row.payment_id);
      if (!payment?.routePath || !payment.holdingAttemptId) return [];
      return [
        {
          id: row.id,
          paymentId: row.payment_id,
          merchantId: row.merchant_id,
          amount: Number(row.amount),
          currency: row.currency,
          reason: row.reason,
          routePath: payment.routePath,
          holdingAttemptId: payment.holdingAttemptId,
          providerReference: payment.providerReference,
          checks: Number(row.check_count),
        },
      ];
    });
  }

  /** Still unknown: releases the lease and schedules the next check on the backoff schedule. */
  async releasePayment(claim: ClaimedPayment | ClaimedOperation, now: Date): Promise<void> {
    await this.prisma.payment.updateMany({
      where: { id: claim.id, status: 'operation' in claim ? 'authorized' : 'pending' },
      data: { checkLeaseUntil: null, nextCheckAt: new Date(now.getTime() + nextCheckDelayMs(claim.checks)) },
    });
  }

  async releaseRefund(claim: ClaimedRefund, now: Date): Promise<void> {
    await this.prisma.refund.updateMany({
      where: { id: claim.id, status: 'pending' },
      data: { checkLeaseUntil: null, nextCheckAt: new Date(now.getTime() + nextCheckDelayMs(claim.checks)) },
    });
  }

  async pendingCounts(): Promise<{ payments: number; refunds: number }> {
    const scheduled = { status: 'pending', nextCheckAt: { not: null } };
    const [payments, refunds] = await Promise.all([this.prisma.payment.count({ where: scheduled }), this.prisma.refund.count({ where: scheduled })]);
    return { payments, refunds };
  }
}
