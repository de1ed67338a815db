import type { TreeTime } from '../../common/server-timing.js';
import type { RequestTrace } from '../../logging/request-trace.js';
import type { IdempotencyKey } from '../../idempotency/index.js';
import type { PaymentWithAttempts } from './payment.js';
import type { Refund } from '#persistence';

/** A card as the merchant sent it: held in memory for the provider call, never stored. */
export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc?: string;
}

/**
 * What the payment charges: a card the merchant sent (a merchant in PCI scope, secret key), or a
 * reference to a vault card: a token (`tok_…`) or a saved payment method (`pm_…`).
 */
export type ChargeInput = { kind: 'card'; card: CardDetails } | { kind: 'reference'; reference: string };

/** Who asks, and the request's trace (the tree's context and the logs of its work carry it). */
interface MerchantRequest extends RequestTrace {
  merchantId: string;
  /** Where the request adds up its time in the tree (its Server-Timing header); absent outside HTTP. */
  treeTime?: TreeTime;
}

export interface CreatePaymentCommand extends MerchantRequest {
  /** The merchant lets routers retry `opt_in` declines on another provider. */
  cascadeOptIn: boolean;
  amount: number;
  /** ISO 4217, any case. */
  currency: string;
  /** Capture in the same call (default) or authorize only. */
  capture: boolean;
  source: ChargeInput;
  /** The merchant's customer (`cus_…`); with a saved method, its customer by default. */
  customerId: string | null;
  /** Save the card to the customer for payments without the shopper, once approved. */
  setupFutureUsage: boolean;
  /** A merchant-initiated payment of a saved method, without the shopper. */
  offSession: boolean;
  customerCountry: string | null;
  description: string | null;
  metadata: Record<string, string>;
  /** The merchant's page the shopper returns to after authenticating; null: the payment takes no redirect. */
  returnUrl: string | null;
  key: IdempotencyKey<PaymentWithAttempts>;
}

export interface CapturePaymentCommand extends MerchantRequest {
  paymentId: string;
  /** At most the authorized amount; absent: all of it. */
  amount?: number;
  key: IdempotencyKey<PaymentWithAttempts>;
}

/** The shopper is back from authenticating (or the merchant confirms): finish a payment in `requires_action`. */
export interface CompleteActionCommand extends RequestTrace {
  paymentId: string;
  /** Set when the merchant confirms: the payment must be theirs. Absent on the shopper's return. */
  merchantId?: string;
  /** As on a merchant's request. */
  treeTime?: TreeTime;
  /** Query and form fields of the shopper's return; empty when the merchant confirms. */
  returnData: Record<string, string>;
}

export interface VoidPaymentCommand extends MerchantRequest {
  paymentId: string;
  key: IdempotencyKey<PaymentWithAttempts>;
}

export interface RefundPaymentCommand extends MerchantRequest {
  paymentId: string;
  /** Absent: all that is still refundable. */
  amount?: number;
  reason: string | null;
  key: IdempotencyKey<Refund>;
}
