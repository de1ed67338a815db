export const PAYMENT_STATUSES = [
  'pending',
  'requires_action',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'declined',
  'failed',
] as const;

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * The state machine of DESIGN.md: every transition the root may commit. `pending` is also where an
 * authorized payment waits while its provider confirms a capture or void it accepted (back to
 * `authorized` when the provider reports it failed).
 */
const TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  pending: ['requires_action', 'authorized', 'captured', 'voided', 'declined', 'failed'],
  requires_action: ['authorized', 'captured', 'declined', 'failed'],
  authorized: ['captured', 'voided', 'pending'],
  // Back down only when the provider reports a refund that had succeeded failed after all (payment.refund_failed).
  captured: ['partially_refunded', 'refunded'],
  partially_refunded: ['partially_refunded', 'refunded', 'captured'],
  refunded: ['partially_refunded', 'captured'],
  voided: [],
  declined: [],
  failed: [],
};

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The event recorded when a payment enters a status. */
export const EVENT_TYPE_FOR_STATUS: Readonly<Record<PaymentStatus, string>> = {
  pending: 'payment.created',
  requires_action: 'payment.requires_action',
  authorized: 'payment.authorized',
  captured: 'payment.captured',
  partially_refunded: 'payment.refunded',
  refunded: 'payment.refunded',
  voided: 'payment.voided',
  declined: 'payment.declined',
  failed: 'payment.failed',
};

/** One state change of a payment, as its event log records it. */
export interface StatusChange {
  from: PaymentStatus | null;
  to: PaymentStatus;
  data?: Record<string, unknown>;
  /** The event type when not the status's own (EVENT_TYPE_FOR_STATUS), e.g. `payment.pending_resolved`. */
  type?: string;
}
