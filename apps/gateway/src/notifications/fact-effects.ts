import { type NotificationFact, statusWithoutMoney, type StatusOutcome } from '#gateway-spi';
import type { Payment, Refund } from '#persistence';
import { type PaymentResolution, type PaymentStatus, resolvePendingPayment, type UndecidedStatus } from '../payments/index.js';

/** What applying a fact does. Every effect is conditional on the state it was decided from. */
export type FactEffect =
  /** A pending or waiting payment settles as the provider reports. */
  | { type: 'settle_undecided'; from: UndecidedStatus; resolution: PaymentResolution }
  /** A capture or void (accepted, unanswered, or made outside the API) ends: the payment moves on, or back to authorized. */
  | { type: 'end_operation'; from: PaymentStatus; to: 'captured' | 'voided' | 'authorized'; amountCaptured: number; eventType?: string }
  | { type: 'settle_refund'; refund: Refund; to: 'succeeded' | 'failed' }
  /** A refund that had succeeded is reported failed: its amount comes off the payment's refunded amount. */
  | { type: 'reverse_refund'; refund: Refund }
  | { type: 'dispute' };

/**
 * How a fact was taken: applied (with its effect), ignored (already so), unmatched (surfaced to ops),
 * or deferred: the request that moves this payment is still running, so the fact is not taken yet
 * (nothing is recorded) and the provider is asked to send it again later.
 */
export type FactDecision =
  | { result: 'applied'; effect: FactEffect; detail: string }
  | { result: 'ignored' | 'unmatched' | 'deferred'; detail: string };

const SETTLED_CAPTURE: readonly PaymentStatus[] = ['captured', 'partially_refunded', 'refunded'];

/**
 * Decides what `fact` does to `payment` (locked) and, for refund facts, to `refund` — through the same
 * state machine and invariants as the API. A fact that does not fit is never forced: it is
 * `unmatched`, recorded, and shown to ops.
 */
export function decideFact(fact: NotificationFact, payment: Payment | null, refund: Refund | null): FactDecision {
  if (!payment) return { result: 'unmatched', detail: 'no payment of this gateway matches the fact' };
  if (fact.attemptId && payment.holdingAttemptId && fact.attemptId !== payment.holdingAttemptId) {
    return { result: 'unmatched', detail: `the fact is about attempt ${fact.attemptId}, but ${payment.holdingAttemptId} holds the payment` };
  }
  const status = payment.status as PaymentStatus;
  if (status === 'pending' && payment.routePath === null) {
    return { result: 'deferred', detail: 'the request authorizing the payment has not recorded its outcome yet' };
  }
  if (fact.currency && fact.currency.toUpperCase() !== payment.currency) {
    return { result: 'unmatched', detail: `the fact is in ${fact.currency}, the payment in ${payment.currency}` };
  }
  if (fact.amount !== null && fact.amount > payment.amount) {
    return { result: 'unmatched', detail: `the provider reports ${fact.amount}, more than the payment's ${payment.amount}` };
  }
  const undecided = undecidedFrom(payment);
  const capturing = operationThatMayEnd(payment, 'capture');
  const voiding = operationThatMayEnd(payment, 'void');
  switch (fact.kind) {
    case 'authorized': {
      if (undecided) return settle(payment, undecided, approvedStatus(fact, payment));
      if (status === 'authorized' || SETTLED_CAPTURE.includes(status) || status === 'voided' || status === 'pending') return ignored(status);
      return { result: 'unmatched', detail: `the provider reports the payment authorized, but it is ${status}: money may be held at the provider` };
    }
    case 'authorization_failed': {
      if (undecided) return settle(payment, undecided, { ...statusWithoutMoney('not_found'), state: 'declined', code: fact.code ?? 'card_declined', providerReference: fact.providerReference });
      if (status === 'declined' || status === 'failed') return ignored(status);
      return { result: 'unmatched', detail: `the provider reports the authorization failed, but the payment is ${status}` };
    }
    case 'captured': {
      const amount = fact.amount ?? payment.operationAmount ?? payment.amount;
      if (capturing === 'running') return stillRunning('capture');
      if (capturing === 'ended' || (status === 'authorized' && payment.operationInFlight === null)) {
        return applied({ type: 'end_operation', from: status, to: 'captured', amountCaptured: amount }, 'captured');
      }
      if (undecided === 'pending' && payment.capture) return settle(payment, 'pending', { ...approvedStatus(fact, payment), amountCaptured: amount });
      if (SETTLED_CAPTURE.includes(status)) return ignored(status);
      return { result: 'unmatched', detail: `the provider reports a capture, but the payment is ${status}` };
    }
    case 'capture_failed':
      if (capturing === 'ended') return applied({ type: 'end_operation', from: status, to: 'authorized', amountCaptured: 0, eventType: 'payment.capture_failed' }, 'authorized again');
      if (capturing === 'running') return stillRunning('capture');
      return status === 'authorized' ? ignored(status) : { result: 'unmatched', detail: `the provider reports a capture failed, but the payment is ${status}` };
    case 'cancelled':
      if (voiding === 'ended' || (status === 'authorized' && payment.operationInFlight === null)) {
        return applied({ type: 'end_operation', from: status, to: 'voided', amountCaptured: 0 }, 'voided');
      }
      if (voiding === 'running') return stillRunning('void');
      if (status === 'voided' || status === 'failed' || status === 'declined') return ignored(status);
      if (undecided === 'requires_action') {
        return settle(payment, undecided, { ...statusWithoutMoney('not_found'), state: 'failed', code: 'authentication_abandoned', providerReference: fact.providerReference });
      }
      return { result: 'unmatched', detail: `the provider reports the payment cancelled, but it is ${status}` };
    case 'cancel_failed':
      if (voiding === 'running') return stillRunning('void');
      if (voiding === 'ended') return applied({ type: 'end_operation', from: status, to: 'authorized', amountCaptured: 0, eventType: 'payment.void_failed' }, 'authorized again');
      return status === 'authorized' ? ignored(status) : { result: 'unmatched', detail: `the provider reports a cancel failed, but the payment is ${status}` };
    case 'refunded':
      if (!refund) return { result: 'unmatched', detail: 'the provider reports a refund this gateway did not make' };
      if (refundRunning(refund)) return { result: 'deferred', detail: `the request of refund ${refund.id} is still running` };
      if (refund.status === 'pending') return applied({ type: 'settle_refund', refund, to: 'succeeded' }, `refund ${refund.id} succeeded`);
      if (refund.status === 'succeeded') return { result: 'ignored', detail: `refund ${refund.id} is already succeeded` };
      return { result: 'unmatched', detail: `the provider reports refund ${refund.id} succeeded, but it is ${refund.status}` };
    case 'refund_failed':
      if (!refund) return { result: 'unmatched', detail: 'the provider reports a failed refund this gateway did not make' };
      if (refundRunning(refund)) return { result: 'deferred', detail: `the request of refund ${refund.id} is still running` };
      if (refund.status === 'pending') return applied({ type: 'settle_refund', refund, to: 'failed' }, `refund ${refund.id} failed; its amount is refundable again`);
      if (refund.status === 'succeeded') return applied({ type: 'reverse_refund', refund }, `refund ${refund.id} failed after succeeding; its amount is refundable again`);
      return { result: 'ignored', detail: `refund ${refund.id} is already failed` };
    case 'dispute_opened':
      return applied({ type: 'dispute' }, 'dispute recorded');
  }
}

/** The payment waits for its authorization's outcome (not for an operation's). */
function undecidedFrom(payment: Payment): UndecidedStatus | null {
  if (payment.status === 'requires_action') return 'requires_action';
  if (payment.status === 'pending' && payment.operationInFlight === null && payment.routePath !== null) return 'pending';
  return null;
}

/**
 * An operation of this kind on the payment: `ended` when only its confirmation is awaited (accepted by
 * the provider, or unanswered and scheduled for reconciliation), `running` while its request still
 * runs (that request records the answer), null when there is none.
 */
function operationThatMayEnd(payment: Payment, operation: 'capture' | 'void'): 'ended' | 'running' | null {
  if (payment.operationInFlight !== operation) return null;
  return payment.operationAcceptedAt !== null || payment.nextCheckAt !== null ? 'ended' : 'running';
}

/** A pending refund not yet scheduled for reconciliation: its own request is still at the provider and records the answer. */
function refundRunning(refund: Refund): boolean {
  return refund.status === 'pending' && refund.nextCheckAt === null && refund.acceptedAt === null;
}

function approvedStatus(fact: NotificationFact, payment: Payment): StatusOutcome {
  const amount = fact.amount ?? payment.amount;
  return {
    ...statusWithoutMoney('not_found'),
    state: 'approved',
    providerReference: fact.providerReference,
    amountAuthorized: amount,
    amountCaptured: fact.captured ? amount : 0,
  };
}

function settle(payment: Payment, from: UndecidedStatus, status: StatusOutcome): FactDecision {
  const resolution = resolvePendingPayment(payment, status, from, 'notification');
  if (!resolution) return { result: 'ignored', detail: `the fact does not decide the payment (${status.state})` };
  return applied({ type: 'settle_undecided', from, resolution }, `${from} → ${resolution.to}`);
}

function applied(effect: FactEffect, detail: string): FactDecision {
  return { result: 'applied', effect, detail };
}

function stillRunning(operation: 'capture' | 'void'): FactDecision {
  return { result: 'deferred', detail: `the ${operation} request of the payment is still running` };
}

function ignored(status: PaymentStatus, why?: string): FactDecision {
  return { result: 'ignored', detail: why ?? `the payment is already ${status}` };
}
