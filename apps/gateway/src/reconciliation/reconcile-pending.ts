import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Tree } from '#orchestration';
import type { PrismaClient } from '#persistence';
import { GATEWAY_CONFIG, PRISMA, TREE } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { recordEvents } from '../payments/payment-events.js';
import { applySucceededRefund } from '../payments/use-cases/refund-payment.js';
import { requestContext } from '../tree/node-context.js';
import { PendingClaims, type ClaimedPayment, type ClaimedRefund } from './pending-claims.js';
import { resolvePendingPayment, type PaymentResolution } from './payment-resolution.js';

/** Rows claimed per run and kind. */
export const RECONCILE_BATCH = 100;

export interface ReconciliationReport {
  settled: { paymentId: string; from: 'pending'; to: string }[];
  /** Payments still pending (scheduled for reconciliation) after the run. */
  stillPending: number;
  refundsSettled: { refundId: string; paymentId: string; from: 'pending'; to: string }[];
  refundsStillPending: number;
}

/**
 * Kill Bill's Janitor for the root: settles payments (and refunds) whose outcome was unknown.
 * A payment's holding leaf is asked for `status` of the holding attempt, down the recorded route
 * path; a refund is re-driven with its own id as the provider's idempotency key, so it applies at
 * most once. Each row is settled exactly once: claims are leased (see PendingClaims), and the final
 * transition is conditional on the row still being pending, in the transaction that records its
 * events. Those event rows (`payment.pending_resolved` and the status changes) are what the
 * webhook outbox reads.
 */
@Injectable()
export class ReconcilePending {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(TREE) private readonly tree: Tree,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly claims: PendingClaims,
  ) {}

  /** One run: what is due (`force`: everything pending), checked in parallel. */
  async run({ force }: { force: boolean }, now: Date = new Date()): Promise<ReconciliationReport> {
    // Longer than any status inquiry or refund call of the run, so a lease never ends mid-check.
    const options = { now, force, leaseMs: 3 * this.config.requestTimeoutMs + 30_000, limit: RECONCILE_BATCH };
    const [payments, refunds] = await Promise.all([this.claims.claimPayments(options), this.claims.claimRefunds(options)]);
    const checked = await Promise.all(payments.map((claim) => this.guarded(claim.id, () => this.checkPayment(claim), () => this.claims.releasePayment(claim, new Date()))));
    const settled = checked.flatMap((to, index) => (to ? [{ paymentId: payments[index]!.id, from: 'pending' as const, to }] : []));
    const redriven = await Promise.all(refunds.map((claim) => this.guarded(claim.id, () => this.redriveRefund(claim), () => this.claims.releaseRefund(claim, new Date()))));
    const refundsSettled = redriven.flatMap((to, index) =>
      to ? [{ refundId: refunds[index]!.id, paymentId: refunds[index]!.paymentId, from: 'pending' as const, to }] : [],
    );
    const counts = await this.claims.pendingCounts();
    if (settled.length + refundsSettled.length > 0) {
      this.logger.log(`settled ${settled.length} payment(s) and ${refundsSettled.length} refund(s); ${counts.payments} payment(s) still pending`);
    }
    return { settled, stillPending: counts.payments, refundsSettled, refundsStillPending: counts.refunds };
  }

  /** One row's check; a failure leaves that row pending (scheduled again) instead of failing the run. */
  private async guarded(id: string, check: () => Promise<string | null>, release: () => Promise<void>): Promise<string | null> {
    try {
      return await check();
    } catch (error) {
      this.logger.warn(`reconciliation of ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
      await release().catch(() => {});
      return null;
    }
  }

  /** The new status, or null when the payment stays pending (still unknown, or settled by someone else). */
  private async checkPayment(claim: ClaimedPayment): Promise<string | null> {
    const address = { path: claim.routePath.split('/'), attemptId: claim.holdingAttemptId, providerReference: claim.providerReference };
    const status = await this.tree.root.status(address, requestContext(`reconcile-${claim.id}`, this.config.requestTimeoutMs));
    const resolution = resolvePendingPayment(claim, status);
    if (!resolution) {
      await this.claims.releasePayment(claim, new Date());
      return null;
    }
    return (await this.settlePayment(claim, resolution, new Date())) ? resolution.to : null;
  }

  private settlePayment(claim: ClaimedPayment, resolution: PaymentResolution, at: Date): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.payment.updateMany({
        where: { id: claim.id, status: 'pending' },
        data: {
          status: resolution.to,
          amountCaptured: resolution.amountCaptured,
          declineCode: resolution.declineCode,
          failureMessage: resolution.failureMessage,
          providerReference: resolution.providerReference,
          nextCheckAt: null,
          checkLeaseUntil: null,
          updatedAt: at,
        },
      });
      if (count === 0) return false;
      await tx.attempt.updateMany({
        where: { id: claim.holdingAttemptId, paymentId: claim.id },
        data: { ...resolution.attempt, ...(resolution.providerReference && { providerReference: resolution.providerReference }) },
      });
      await tx.$executeRaw`UPDATE attempts SET reason = reason || ${` (settled by reconciliation: ${resolution.attempt.outcome})`}
                            WHERE id = ${claim.holdingAttemptId} AND payment_id = ${claim.id}`;
      await recordEvents(tx, { id: claim.id, merchantId: claim.merchantId }, resolution.changes, at);
      return true;
    });
  }

  /** The refund's new status, or null when it stays pending. */
  private async redriveRefund(claim: ClaimedRefund): Promise<string | null> {
    const outcome = await this.tree.root.refund(
      {
        path: claim.routePath.split('/'),
        attemptId: claim.holdingAttemptId,
        providerReference: claim.providerReference,
        operationId: claim.id,
        amount: claim.amount,
        currency: claim.currency,
        ...(claim.reason !== null && { reason: claim.reason }),
      },
      requestContext(`reconcile-${claim.id}`, this.config.requestTimeoutMs),
    );
    if (outcome.outcome === 'unknown') {
      await this.claims.releaseRefund(claim, new Date());
      return null;
    }
    const to = outcome.outcome === 'succeeded' ? 'succeeded' : 'failed';
    const at = new Date();
    const done = await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.refund.updateMany({
        where: { id: claim.id, status: 'pending' },
        data: { status: to, providerReference: outcome.providerReference, nextCheckAt: null, checkLeaseUntil: null, updatedAt: at },
      });
      if (count === 0) return false;
      if (to === 'succeeded') await applySucceededRefund(tx, claim.paymentId, claim.merchantId, claim, at);
      return true;
    });
    return done ? to : null;
  }
}
