import { Inject, Injectable } from '@nestjs/common';
import { Prisma, PRISMA, type PrismaClient } from '#persistence';
import { nextCheckDelayMs } from '../check-schedule.js';
import { operationCleared } from '../../payments/index.js';
import { stillUnresolved } from './settlement-writes.js';

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

/**
 * An authorized payment whose capture or void went unanswered, or a `pending` one whose provider
 * accepted it and has not confirmed it (`accepted`), leased to one reconciler.
 */
export interface ClaimedOperation {
  id: string;
  merchantId: string;
  operation: 'capture' | 'void';
  accepted: boolean;
  routePath: string;
  holdingAttemptId: string;
  providerReference: string | null;
  checks: number;
}

/** A payment waiting for its shopper, due for a look (its time is up, or a manual run), leased to one reconciler. */
export interface ClaimedAction {
  id: string;
  merchantId: string;
  amount: number;
  capture: boolean;
  routePath: string;
  holdingAttemptId: string;
  providerReference: string | null;
  actionExpiresAt: Date | null;
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
const dueBy = ({ now, force }: ClaimOptions) => (force ? END_OF_TIME : now);

/**
 * Leases of pending payments and refunds for reconciliation. A row is scheduled once its outcome
 * is known to be unknown (`next_check_at` set when the request that left it pending committed), so
 * a payment or refund still in its own request is never picked up. A payment is also scheduled
 * when it is created, for long after its request's deadline: due, still without a route, it is an
 * orphan (its request stopped between its two commits); a manual run does not hurry those. Claims
 * use FOR UPDATE SKIP LOCKED and a lease (`check_lease_until`), so reconcilers in one or several
 * processes sharing a database never check the same row at the same time.
 */
@Injectable()
export class PendingClaims {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async claimPayments(options: ClaimOptions): Promise<ClaimedPayment[]> {
    const rows = await this.lease<{
      id: string; merchant_id: string; amount: number; capture: boolean; route_path: string | null; holding_attempt_id: string | null; provider_reference: string | null; check_count: number;
    }>('payments', options, Prisma.sql`status = 'pending' AND operation_in_flight IS NULL AND next_check_at IS NOT NULL
      AND (CASE WHEN route_path IS NOT NULL AND holding_attempt_id IS NOT NULL THEN next_check_at <= ${dueBy(options)}
                ELSE next_check_at <= ${options.now} END)`,
    'id, merchant_id, amount, capture, route_path, holding_attempt_id, provider_reference, check_count');
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

  /** Payments with an unanswered or unconfirmed capture or void (see markUnresolved), due for a check. */
  async claimOperations(options: ClaimOptions): Promise<ClaimedOperation[]> {
    const rows = await this.lease<{
      id: string; merchant_id: string; status: string; operation_in_flight: 'capture' | 'void'; route_path: string; holding_attempt_id: string; provider_reference: string | null; check_count: number;
    }>('payments', options, Prisma.sql`status IN ('authorized', 'pending') AND operation_in_flight IN ('capture', 'void')
      AND next_check_at IS NOT NULL AND next_check_at <= ${dueBy(options)}
      AND route_path IS NOT NULL AND holding_attempt_id IS NOT NULL`,
    'id, merchant_id, status, operation_in_flight, route_path, holding_attempt_id, provider_reference, check_count');
    return rows.map((row) => ({
      id: row.id,
      merchantId: row.merchant_id,
      operation: row.operation_in_flight,
      accepted: row.status === 'pending',
      routePath: row.route_path,
      holdingAttemptId: row.holding_attempt_id,
      providerReference: row.provider_reference,
      checks: Number(row.check_count),
    }));
  }

  /** Payments waiting for their shopper whose time is up (a manual run: all of them). */
  async claimActions(options: ClaimOptions): Promise<ClaimedAction[]> {
    const rows = await this.lease<{
      id: string; merchant_id: string; amount: number; capture: boolean; route_path: string; holding_attempt_id: string; provider_reference: string | null;
      action_expires_at: Date | null; check_count: number;
    }>('payments', options, Prisma.sql`status = 'requires_action' AND next_check_at IS NOT NULL AND next_check_at <= ${dueBy(options)}
      AND route_path IS NOT NULL AND holding_attempt_id IS NOT NULL`,
    'id, merchant_id, amount, capture, route_path, holding_attempt_id, provider_reference, action_expires_at, check_count');
    return rows.map((row) => ({
      id: row.id,
      merchantId: row.merchant_id,
      amount: Number(row.amount),
      capture: row.capture,
      routePath: row.route_path,
      holdingAttemptId: row.holding_attempt_id,
      providerReference: row.provider_reference,
      actionExpiresAt: row.action_expires_at,
      checks: Number(row.check_count),
    }));
  }

  /** Still waiting for its shopper: looked at again when its time is up (or later, on the backoff, once it is). */
  async releaseAction(claim: ClaimedAction, now: Date): Promise<void> {
    const backoff = new Date(now.getTime() + nextCheckDelayMs(claim.checks));
    const next = claim.actionExpiresAt && claim.actionExpiresAt > now ? claim.actionExpiresAt : backoff;
    await this.prisma.payment.updateMany({ where: { id: claim.id, status: 'requires_action' }, data: { checkLeaseUntil: null, nextCheckAt: next } });
  }

  async claimRefunds(options: ClaimOptions): Promise<ClaimedRefund[]> {
    const rows = await this.lease<{
      id: string; payment_id: string; merchant_id: string; amount: number; currency: string; reason: string | null; check_count: number;
    }>('refunds', options, Prisma.sql`status = 'pending' AND next_check_at IS NOT NULL AND next_check_at <= ${dueBy(options)}`,
    'id, payment_id, merchant_id, amount, currency, reason, check_count');
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

  /**
   * Leases up to `limit` rows of `table` matching `due` whose lease is free, oldest schedule first,
   * skipping rows another reconciler has locked, and returns their `columns`.
   */
  private lease<Row>(table: 'payments' | 'refunds', { now, leaseMs, limit }: ClaimOptions, due: Prisma.Sql, columns: string): Promise<Row[]> {
    const returning = columns.split(', ').map((column) => `t.${column}`).join(', ');
    return this.prisma.$queryRaw<Row[]>`
      UPDATE ${Prisma.raw(table)} AS t
         SET check_lease_until = ${new Date(now.getTime() + leaseMs)}, check_count = t.check_count + 1
        FROM (SELECT id FROM ${Prisma.raw(table)}
               WHERE ${due}
                 AND (check_lease_until IS NULL OR check_lease_until <= ${now})
               ORDER BY next_check_at, id
               LIMIT ${limit}
               FOR UPDATE SKIP LOCKED) AS due
       WHERE t.id = due.id
      RETURNING ${Prisma.raw(returning)}`;
  }

  /** Still unknown: releases the lease and schedules the next check on the backoff schedule. */
  async releasePayment(claim: ClaimedPayment | ClaimedOperation, now: Date): Promise<void> {
    await this.prisma.payment.updateMany({
      where: { id: claim.id, status: 'operation' in claim && !claim.accepted ? 'authorized' : 'pending' },
      data: { checkLeaseUntil: null, nextCheckAt: new Date(now.getTime() + nextCheckDelayMs(claim.checks)) },
    });
  }

  async releaseRefund(claim: ClaimedRefund, now: Date): Promise<void> {
    await this.prisma.refund.updateMany({
      where: { id: claim.id, status: 'pending' },
      data: { checkLeaseUntil: null, nextCheckAt: new Date(now.getTime() + nextCheckDelayMs(claim.checks)) },
    });
  }

  /** An unanswered capture or void its provider did not apply: cleared, the payment stays authorized. */
  async clearUnappliedOperation(claim: ClaimedOperation, at: Date): Promise<void> {
    await this.prisma.payment.updateMany({ where: stillUnresolved(claim), data: operationCleared(at) });
  }

  async pendingCounts(): Promise<{ payments: number; refunds: number }> {
    const scheduled = { status: 'pending', nextCheckAt: { not: null } };
    const [payments, refunds] = await Promise.all([this.prisma.payment.count({ where: scheduled }), this.prisma.refund.count({ where: scheduled })]);
    return { payments, refunds };
  }
}
