import type { AttemptOutcome, StatusOutcome, UnifiedCode } from '#gateway-spi';
import type { PaymentStatus, StatusChange } from './payment-status.js';

/** The event recorded once per payment when a pending payment is settled (besides its status changes). */
export const PENDING_RESOLVED = 'payment.pending_resolved';

/** Where a payment waits for its outcome: unknown (`pending`) or with the shopper (`requires_action`). */
export type UndecidedStatus = 'pending' | 'requires_action';

/** Who settled it, as the events record (`resolved_by`). */
export type ResolvedBy = 'reconciliation' | 'notification' | 'shopper' | 'merchant';

/** How an undecided payment ends, from its leaf's `status` of the holding attempt. */
export interface PaymentResolution {
  to: Exclude<PaymentStatus, UndecidedStatus>;
  amountCaptured: number;
  declineCode: UnifiedCode | null;
  failureMessage: string | null;
  providerReference: string | null;
  /** What the holding attempt turned out to be. */
  attempt: { outcome: AttemptOutcome; code: UnifiedCode | null };
  /** The card scheme's id of the approved attempt, when its leaf answered one (stored-credential payments). */
  networkTransactionId: string | null;
  /** The events, in order: the status changes, then one `payment.pending_resolved`. */
  changes: StatusChange[];
}

/**
 * approved → authorized, or captured when the payment asked to capture; not_found → failed (the
 * provider never charged it; a payment with the shopper keeps waiting instead); declined / failed →
 * the same; unknown and requires_action → null (stays as it is). A pending payment's settlement ends
 * with one `payment.pending_resolved` event.
 */
export function resolvePendingPayment(
  payment: { amount: number; capture: boolean; routePath: string | null; holdingAttemptId: string | null; providerReference: string | null },
  status: StatusOutcome,
  from: UndecidedStatus = 'pending',
  resolvedBy: ResolvedBy = 'reconciliation',
): PaymentResolution | null {
  const providerReference = status.providerReference ?? payment.providerReference;
  const networkTransactionId = status.networkTransactionId ?? null;
  const summary = (to: PaymentStatus): StatusChange[] =>
    from === 'pending'
      ? [{ from, to, type: PENDING_RESOLVED, data: { resolution: status.state, route_path: payment.routePath, attempt_id: payment.holdingAttemptId, code: status.code } }]
      : [];
  const data = { route_path: payment.routePath, code: status.code, resolved_by: resolvedBy };
  switch (status.state) {
    case 'approved': {
      if (!payment.capture) {
        const changes: StatusChange[] = [{ from, to: 'authorized', data }, ...summary('authorized')];
        return { to: 'authorized', amountCaptured: 0, declineCode: null, failureMessage: null, providerReference, attempt: { outcome: 'approved', code: null }, networkTransactionId, changes };
      }
      const amountCaptured = status.amountCaptured > 0 ? status.amountCaptured : payment.amount;
      const changes: StatusChange[] = [
        { from, to: 'authorized', data },
        { from: 'authorized', to: 'captured', data: { ...data, amount: amountCaptured } },
        ...summary('captured'),
      ];
      return { to: 'captured', amountCaptured, declineCode: null, failureMessage: null, providerReference, attempt: { outcome: 'approved', code: null }, networkTransactionId, changes };
    }
    case 'not_found': {
      if (from === 'requires_action') return null;
      const failureMessage = 'The provider has no record of the attempt: nothing was charged.';
      const changes: StatusChange[] = [{ from, to: 'failed', data: { ...data, code: 'provider_timeout' } }, ...summary('failed')];
      return { to: 'failed', amountCaptured: 0, declineCode: 'provider_timeout', failureMessage, providerReference: null, attempt: { outcome: 'failed', code: 'provider_timeout' }, networkTransactionId: null, changes };
    }
    case 'declined':
    case 'failed': {
      const code = status.code ?? (status.state === 'declined' ? 'card_declined' : 'processing_error');
      const changes: StatusChange[] = [{ from, to: status.state, data: { ...data, code } }, ...summary(status.state)];
      const failureMessage = `The provider reports the attempt ${status.state} (${code}).`;
      return { to: status.state, amountCaptured: 0, declineCode: code, failureMessage, providerReference, attempt: { outcome: status.state, code }, networkTransactionId: null, changes };
    }
    case 'unknown':
    case 'requires_action':
      return null;
  }
}
