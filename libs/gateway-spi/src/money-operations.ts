/** The operations that move money (authorize, capture, void, refund), the status that tells what moved, and quotes. */

import type { CardBrand, MaskedCard } from './card.js';
import type { UnifiedCode } from './codes.js';
import type { NextAction } from './shopper-action.js';
import type { Initiator, StoredCredential } from './stored-credential.js';

/**
 * Card data as the leaf that charges needs it. It lives in memory for the duration of one call
 * and is never persisted, logged, or returned in an outcome; outcomes carry `MaskedCard` only.
 */
export interface CardPaymentMethod {
  type: 'card';
  card: { number: string; expMonth: number; expYear: number; cvc?: string };
  /** Derived once by the root, so routers can route by brand without touching the number. */
  display: MaskedCard;
}

export type PaymentMethod = CardPaymentMethod;

/** The routing-relevant facts of a payment: enough to route, quote or preview, no card data. */
export interface RoutingFacts {
  amount: number;
  currency: string;
  method: string;
  brand?: CardBrand;
  country?: string;
  merchantId?: string;
  /** Who starts the payment (absent: the customer), so routers can route merchant-initiated payments apart. */
  initiator?: Initiator;
  /** Deterministic routing input (weighted split). */
  paymentId: string;
}

export interface AuthorizeRequest {
  paymentId: string;
  /** Passed by the leaf to its provider as idempotency key: the same attempt id never charges twice. */
  attemptId: string;
  /** 1-based position of this attempt among the payment's attempts (see `attemptIdFor`). */
  attemptSeq: number;
  merchantId: string;
  amount: number;
  currency: string;
  /** Capture in the same call (true) or authorize only (false). */
  capture: boolean;
  paymentMethod: PaymentMethod;
  customerCountry?: string;
  metadata: Record<string, string>;
  /**
   * Where the provider sends the shopper back after authenticating (3-D Secure): the root's return
   * endpoint of this payment. Absent: nobody can take the shopper anywhere, so a leaf whose
   * provider wants the shopper declines with `authentication_required` instead of asking.
   */
  returnUrl?: string;
  /** Who starts it; absent: the customer. A merchant-initiated payment never asks for the shopper. */
  initiator?: Initiator;
  /** Absent: a one-off payment that stores nothing. */
  storedCredential?: StoredCredential;
  /**
   * The merchant lets routers retry declines their cascade table marks `opt_in` (by default
   * `do_not_honor`) on another child. Absent: it does not.
   */
  cascadeOptIn?: boolean;
  /**
   * Declines of this payment already retried elsewhere before the request reached this node (by
   * the routers above it), so every router's `max_attempts` bounds the whole payment. Absent: 0.
   */
  cascadesSoFar?: number;
}

/**
 * `requires_action`: the provider wants the shopper first (`nextAction`); nothing is decided yet and
 * the attempt is bound to its leaf: never failed over, completed there (`completeAction`).
 */
export type AttemptOutcome = 'approved' | 'declined' | 'failed' | 'unknown' | 'requires_action';

/** One try of one operation on one leaf, with why it went there. */
export interface AttemptRecord {
  attemptId: string;
  attemptSeq: number;
  /** Node ids from the node that returned this record down to the leaf. */
  path: string[];
  outcome: AttemptOutcome;
  code: UnifiedCode | null;
  /** Routing decisions from the top down, e.g. "rule currency∈[EUR] → eu; weighted 70/30 → sim-alpha". */
  reason: string;
  latencyMs: number;
  providerReference: string | null;
}

export interface AuthorizeOutcome {
  /** `unknown`: the provider may have charged; the payment must stay pending until `status` settles it. */
  outcome: AttemptOutcome;
  code: UnifiedCode | null;
  message: string | null;
  /** True only when the outcome proves no money moved, so another child may be tried. */
  retryable: boolean;
  providerReference: string | null;
  /** Path of the leaf whose result this is, from the answering node down. */
  path: string[];
  /** Amount captured by this call (`capture: true` and approved), else 0. */
  amountCaptured: number;
  /**
   * Every attempt made, in order; the last one produced this outcome, except after a cascade whose
   * retry failed without moving money: the outcome is then the decline before it (same `path`).
   */
  attempts: AttemptRecord[];
  /**
   * True when the outcome was first unknown and a status inquiry settled it: a router never
   * cascades after such a decline (it was an unknown outcome first).
   */
  settledByInquiry?: boolean;
  /** With `requires_action` only: where the shopper must go. */
  nextAction?: NextAction | null;
  /**
   * Approved with a `storedCredential` (first or subsequent): the scheme's network transaction id the
   * provider answered (for a first one, what later merchant-initiated payments are sent with).
   */
  networkTransactionId?: string | null;
}

/** Addresses an earlier attempt down its recorded route path. */
export interface AttemptAddress {
  /** Node ids from the addressed node down to the leaf, e.g. ["root", "eu", "sim-alpha"]. */
  path: string[];
  attemptId: string;
  providerReference: string | null;
}

export interface CaptureRequest extends AttemptAddress {
  /** Idempotency key of this operation at the provider. */
  operationId: string;
  amount: number;
  currency: string;
}

export type VoidRequest = AttemptAddress & { operationId: string };

export interface RefundRequest extends AttemptAddress {
  operationId: string;
  amount: number;
  currency: string;
  reason?: string;
}

/**
 * `pending`: the provider accepted the operation and confirms it later (by notification, or in a later
 * `status`); nothing is known to have failed. `unknown`: no answer, it may or may not have applied.
 */
export interface OperationOutcome {
  outcome: 'succeeded' | 'failed' | 'pending' | 'unknown';
  code: UnifiedCode | null;
  message: string | null;
  providerReference: string | null;
}

export type StatusRequest = AttemptAddress;

export interface StatusOutcome {
  /**
   * `not_found`: the provider never charged this attempt. `unknown`: no answer. `requires_action`:
   * the provider still waits for the shopper (`nextAction` says where, when the node knows).
   */
  state: 'approved' | 'declined' | 'failed' | 'not_found' | 'unknown' | 'requires_action';
  code: UnifiedCode | null;
  providerReference: string | null;
  amountAuthorized: number;
  amountCaptured: number;
  amountRefunded: number;
  voided: boolean;
  nextAction?: NextAction | null;
  /**
   * An approved attempt that carried a `storedCredential`: the scheme's network transaction id, when the
   * provider answers it here (e.g. a first payment that went through the shopper, completed later).
   */
  networkTransactionId?: string | null;
}

/** A status that reports no money: the provider never charged the attempt, or nobody could say. */
export function statusWithoutMoney(state: 'not_found' | 'unknown', code: UnifiedCode | null = null): StatusOutcome {
  return { state, code, providerReference: null, amountAuthorized: 0, amountCaptured: 0, amountRefunded: 0, voided: false };
}

export type QuoteRequest = RoutingFacts;

export interface Quote {
  eligible: boolean;
  /** Fee in minor units of the payment currency. */
  fee: number;
  /** Path from the answering node down to the leaf that would take the payment. */
  path: string[];
  reason: string;
}
