import { Inject, Injectable, Logger } from '@nestjs/common';
import { type AttemptAddress, isNotSupported, type NodeContext, type StatusOutcome, statusWithoutMoney } from '#gateway-spi';
import { locateAttempts, type Tree } from '#orchestration';
import { type Attempt, UnitOfWorkRunner } from '#persistence';
import { requestContext } from '../common/node-context.js';
import { GATEWAY_CONFIG, TREE } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { createdPaymentAnswer, type PaymentResolution, RefundsRepository, resolvePendingPayment } from '../payments/index.js';
import {
  type ClaimedAction,
  type ClaimedOperation,
  type ClaimedPayment,
  type ClaimedRefund,
  PendingClaims,
} from './persistence/pending-claims.repository.js';
import { SettlementWrites } from './persistence/settlement-writes.js';

/** Rows claimed per run and kind. */
export const RECONCILE_BATCH = 100;

/** An accepted operation still unconfirmed after this many checks (hours, on the backoff) is logged for ops. */
const UNCONFIRMED_WARN_AFTER_CHECKS = 6;

export interface ReconciliationReport {
  /**
   * Pending payments settled, authorized ones whose unanswered capture or void was settled, pending
   * ones whose accepted capture or void the provider confirmed, and payments that waited for their shopper.
   */
  settled: { paymentId: string; from: 'pending' | 'authorized' | 'requires_action'; to: string }[];
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
    @Inject(TREE) private readonly tree: Tree,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly claims: PendingClaims,
    private readonly writes: SettlementWrites,
    private readonly refunds: RefundsRepository,
    private readonly runner: UnitOfWorkRunner,
  ) {}

  /** One run: what is due (`force`: everything pending), checked in parallel. */
  async run({ force }: { force: boolean }, now: Date = new Date()): Promise<ReconciliationReport> {
    // Longer than any status inquiry or refund call of the run, so a lease never ends mid-check.
    const options = { now, force, leaseMs: 3 * this.config.requestTimeoutMs + 30_000, limit: RECONCILE_BATCH };
    const [payments, operations, actions, refunds] = await Promise.all([
      this.claims.claimPayments(options),
      this.claims.claimOperations(options),
      this.claims.claimActions(options),
      this.claims.claimRefunds(options),
    ]);
    const checked = await Promise.all(payments.map((claim) => this.guarded(claim.id, () => this.checkPayment(claim), () => this.claims.releasePayment(claim, new Date()))));
    const resolved = await Promise.all(operations.map((claim) => this.guarded(claim.id, () => this.checkOperation(claim), () => this.claims.releasePayment(claim, new Date()))));
    const finished = await Promise.all(actions.map((claim) => this.guarded(claim.id, () => this.checkAction(claim, now), () => this.claims.releaseAction(claim, new Date()))));
    const settled = [
      ...checked.flatMap((to, index) => (to ? [{ paymentId: payments[index]!.id, from: 'pending' as const, to }] : [])),
      ...resolved.flatMap((to, index) => (to ? [{ paymentId: operations[index]!.id, from: operations[index]!.accepted ? ('pending' as const) : ('authorized' as const), to }] : [])),
      ...finished.flatMap((to, index) => (to ? [{ paymentId: actions[index]!.id, from: 'requires_action' as const, to }] : [])),
    ];
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
    const ctx = requestContext(`reconcile-${claim.id}`, this.config.requestTimeoutMs);
    if (claim.routePath === null || claim.holdingAttemptId === null) return this.adoptOrphan(claim, ctx);
    const route = { routePath: claim.routePath, holdingAttemptId: claim.holdingAttemptId };
    const address = { path: route.routePath.split('/'), attemptId: route.holdingAttemptId, providerReference: claim.providerReference };
    const status = await this.tree.root.status(address, ctx);
    // Its provider asked for the shopper, but the answer carrying the redirect never reached the merchant.
    const resolution =
      status.state === 'requires_action' ? await this.giveUp(claim.id, address, status, ctx, 'pending') : resolvePendingPayment({ ...claim, ...route }, status);
    if (!resolution) {
      await this.claims.releasePayment(claim, new Date());
      return null;
    }
    const settled = await this.runner.commit(this.writes.settlePending(claim, route, resolution, new Date()), `settlement of payment ${claim.id}`);
    return settled ? resolution.to : null;
  }

  /**
   * A payment whose request stopped between its two commits: its route was never recorded, so every
   * leaf is asked for its attempts (deterministic ids). It settles as the last attempt found says,
   * or failed when no provider ever saw it; its idempotency key then stores that answer, so the
   * merchant's retry replays it instead of waiting on a request that will never finish.
   */
  private async adoptOrphan(claim: ClaimedPayment, ctx: NodeContext): Promise<string | null> {
    const search = await locateAttempts(this.tree.root, claim.id, ctx);
    if (search.kind === 'unknown') {
      this.logger.warn(`orphaned payment ${claim.id} stays pending: ${search.reason}`);
      await this.claims.releasePayment(claim, new Date());
      return null;
    }
    const holder = search.attempts.at(-1);
    const route = { routePath: holder ? holder.path.join('/') : null, holdingAttemptId: holder?.attemptId ?? null };
    const status: StatusOutcome = holder?.status ?? NEVER_REACHED_A_PROVIDER;
    const resolution =
      holder && status.state === 'requires_action'
        ? await this.giveUp(claim.id, { path: holder.path, attemptId: holder.attemptId, providerReference: status.providerReference }, status, ctx, 'pending')
        : resolvePendingPayment({ ...claim, ...route }, status);
    if (!resolution) {
      if (status.state === 'requires_action') {
        await this.claims.releasePayment(claim, new Date());
        return null;
      }
      throw new Error(`orphaned payment ${claim.id}: a located attempt cannot be unknown`);
    }
    const at = new Date();
    const attempts: Attempt[] = search.attempts.map((attempt) => ({
      id: attempt.attemptId,
      paymentId: claim.id,
      seq: attempt.seq,
      path: attempt.path.join('/'),
      outcome: attempt.status.state === 'not_found' ? 'failed' : attempt.status.state,
      code: attempt.status.code,
      reason: 'located by reconciliation (the request routing it stopped before recording it)',
      latencyMs: 0,
      providerReference: attempt.status.providerReference,
      createdAt: at,
    }));
    const adoption = this.writes.adoptOrphan(claim, route, resolution, attempts, createdPaymentAnswer, at);
    const settled = await this.runner.commit(adoption, `adoption of payment ${claim.id}`);
    if (settled) this.logger.warn(`orphaned payment ${claim.id} settled ${resolution.to} from ${search.attempts.length} located attempt(s)`);
    return settled ? resolution.to : null;
  }

  /**
   * An authorized payment whose capture or void went unanswered: the holding leaf's status says
   * whether it applied (captured amount, voided). Applied → the payment moves on, once; not applied
   * → the operation is cleared and the payment stays authorized for the merchant to try again.
   * Returns the new status, or null when nothing changed (still unknown, not applied, or settled by
   * a retry first).
   */
  private async checkOperation(claim: ClaimedOperation): Promise<string | null> {
    const address = { path: claim.routePath.split('/'), attemptId: claim.holdingAttemptId, providerReference: claim.providerReference };
    const status = await this.tree.root.status(address, requestContext(`reconcile-${claim.id}`, this.config.requestTimeoutMs));
    if (status.state === 'unknown') {
      await this.claims.releasePayment(claim, new Date());
      return null;
    }
    const to = status.amountCaptured > 0 ? 'captured' : status.voided ? 'voided' : null;
    const at = new Date();
    if (to === null && claim.accepted) {
      // Accepted and not confirmed yet: only the provider's confirmation (or its status showing it) settles it.
      if (claim.checks >= UNCONFIRMED_WARN_AFTER_CHECKS) {
        this.logger.warn(`the ${claim.operation} of payment ${claim.id} was accepted by its provider ${claim.checks} checks ago and is still not confirmed: look for its notification at the provider`);
      }
      await this.claims.releasePayment(claim, at);
      return null;
    }
    if (to === null) {
      await this.claims.clearUnappliedOperation(claim, at);
      this.logger.warn(`the unanswered ${claim.operation} of payment ${claim.id} was not applied by its provider; the payment stays authorized`);
      return null;
    }
    const amountCaptured = to === 'captured' ? status.amountCaptured : 0;
    const done = await this.runner.commit(this.writes.settleOperation(claim, to, amountCaptured, at), `settlement of the ${claim.operation} of payment ${claim.id}`);
    return done ? to : null;
  }

  /**
   * A payment waiting for its shopper whose time is up: its leaf is asked first (the shopper may
   * have finished without coming back). Still waiting, or unknown to the provider, once the time is
   * up → the leaf is asked to cancel it (best effort) and the payment fails `authentication_abandoned`.
   */
  private async checkAction(claim: ClaimedAction, now: Date): Promise<string | null> {
    const address = { path: claim.routePath.split('/'), attemptId: claim.holdingAttemptId, providerReference: claim.providerReference };
    const ctx = requestContext(`reconcile-${claim.id}`, this.config.requestTimeoutMs);
    const status = await this.tree.root.status(address, ctx);
    const route = { routePath: claim.routePath, holdingAttemptId: claim.holdingAttemptId };
    let resolution = resolvePendingPayment({ ...claim, ...route }, status, 'requires_action', 'reconciliation');
    const expired = claim.actionExpiresAt === null || claim.actionExpiresAt <= now;
    if (!resolution && expired && (status.state === 'requires_action' || status.state === 'not_found')) {
      resolution = await this.giveUp(claim.id, address, status, ctx, 'requires_action');
    }
    if (!resolution) {
      await this.claims.releaseAction(claim, new Date());
      return null;
    }
    const settled = await this.runner.commit(this.writes.settlePending(claim, route, resolution, new Date(), 'requires_action'), `settlement of payment ${claim.id}`);
    return settled ? resolution.to : null;
  }

  /**
   * Gives up a payment whose shopper never finished authenticating: failed `authentication_abandoned`,
   * but only once nothing can still be charged: its provider never had the attempt, or cancelled it
   * (or accepted to)
   * (a leaf that cannot cancel is given up too, and a late authorization then surfaces as an
   * unmatched notification). Null while the cancel is not confirmed: it is tried again next time.
   */
  private async giveUp(
    paymentId: string,
    address: AttemptAddress,
    status: StatusOutcome,
    ctx: NodeContext,
    from: 'pending' | 'requires_action',
  ): Promise<PaymentResolution | null> {
    if (status.state !== 'not_found') {
      const cancel = await this.tree.root.void({ ...address, operationId: `${address.attemptId}.void` }, ctx);
      // A cancel the provider accepted (pending) stops the authorization as surely as a confirmed one.
      if (cancel.outcome !== 'succeeded' && cancel.outcome !== 'pending' && !isNotSupported(cancel)) {
        this.logger.warn(`payment ${paymentId} waits for its shopper past its time, and its leaf did not cancel it yet (${cancel.outcome} ${cancel.code ?? ''})`);
        return null;
      }
    }
    return abandoned({ amount: 0, capture: false, routePath: address.path.join('/'), holdingAttemptId: address.attemptId, providerReference: status.providerReference }, from);
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
    // Accepted this time: its notification settles it; it is not re-sent again.
    if (outcome.outcome === 'pending') {
      await this.refunds.markAccepted(claim.id, new Date());
      return null;
    }
    const to = outcome.outcome === 'succeeded' ? 'succeeded' : 'failed';
    const at = new Date();
    const done = await this.runner.commit(this.refunds.settlePending(claim, to, outcome.providerReference, at), `settlement of refund ${claim.id}`);
    return done ? to : null;
  }
}

/** What an orphan's search means when no leaf knows even its first attempt. */
const NEVER_REACHED_A_PROVIDER = statusWithoutMoney('not_found');


/** A payment whose shopper never finished authenticating: failed, nothing charged (a pending one also gets its pending_resolved event). */
function abandoned(payment: Parameters<typeof resolvePendingPayment>[0], from: 'pending' | 'requires_action'): PaymentResolution {
  const failed = { ...statusWithoutMoney('not_found'), state: 'failed' as const, code: 'authentication_abandoned' as const, providerReference: payment.providerReference };
  const resolution = resolvePendingPayment(payment, failed, from, 'reconciliation')!;
  return { ...resolution, failureMessage: 'The shopper did not complete the authentication in time; nothing was charged.' };
}
