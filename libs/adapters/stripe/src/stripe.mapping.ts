import type { AuthorizeOutcome, AuthorizeRequest, NextAction, OperationOutcome, StatusOutcome } from '#gateway-spi';
import type Stripe from 'stripe';
import { cardSituation, httpSituation, intentSituation, verdict, type Situation } from './stripe.codes.js';
import { hasExpandedCharge, isFirstUse, isMerchantInitiated, networkTransactionIdOf, storedCredentialParams } from './stripe.stored-credential.js';

/**
 * The pure half of the adapter: requests into the SDK's parameters, the SDK's answers and errors
 * into outcomes. No I/O here; the flow (deadline, idempotency key, the call) lives in `stripe.node.ts`.
 */

/** An authorize outcome before the leaf adds its path, attempt record and latency. */
export type StripeReply = Omit<AuthorizeOutcome, 'path' | 'attempts'>;

/** Metadata keys the adapter writes on every PaymentIntent (what `status` searches by). */
export const ATTEMPT_KEY = 'canopy_attempt_id';
export const PAYMENT_KEY = 'canopy_payment_id';
/** Metadata key the adapter writes on every refund it creates: the root's refund (operation) id, echoed by refund events. */
export const OPERATION_KEY = 'canopy_operation_id';

/**
 * Raw card details in `payment_method_data[card]`: neither the SDK's types nor Stripe's public OpenAPI
 * describe them, because Stripe gates the field behind "raw card data APIs" access (PCI DSS SAQ D).
 */
export interface RawCardPaymentMethodData extends Stripe.PaymentIntentCreateParams.PaymentMethodData {
  type: 'card';
  card: { number: string; exp_month: number; exp_year: number; cvc?: string };
}

/**
 * AuthorizeRequest → PaymentIntent create parameters: confirmed at once, with the raw card (needs
 * Stripe's "raw card data APIs" access), plus the stored-credential fields (`stripe.stored-credential.ts`).
 * A merchant-initiated payment never carries the return URL: nobody is there to send anywhere.
 */
export function toCreateParams(request: AuthorizeRequest): Stripe.PaymentIntentCreateParams {
  const { card } = request.paymentMethod;
  const paymentMethodData: RawCardPaymentMethodData = {
    type: 'card',
    card: { number: card.number, exp_month: card.expMonth, exp_year: card.expYear, ...(card.cvc ? { cvc: card.cvc } : {}) },
  };
  return {
    amount: request.amount,
    currency: request.currency.toLowerCase(),
    capture_method: request.capture ? 'automatic' : 'manual',
    confirm: true,
    ...shopperParams(isMerchantInitiated(request) ? undefined : request.returnUrl),
    ...storedCredentialParams(request),
    payment_method_data: paymentMethodData,
    metadata: { [ATTEMPT_KEY]: request.attemptId, [PAYMENT_KEY]: request.paymentId },
  };
}

/**
 * With a return URL, Stripe may send the shopper to 3-D Secure (`next_action.redirect_to_url`) and back
 * there. Without one nobody can take the shopper anywhere: `error_on_requires_action` makes Stripe fail
 * the attempt (`authentication_required`, the PaymentIntent back to `requires_payment_method`) instead
 * of leaving it waiting for an authentication. The one method is the card given either way, so no
 * redirect-based method can be chosen; `allow_redirects: 'never'` keeps Stripe from asking for a
 * `return_url` when there is none.
 */
function shopperParams(returnUrl: string | undefined): Pick<Stripe.PaymentIntentCreateParams, 'automatic_payment_methods' | 'return_url' | 'error_on_requires_action'> {
  if (returnUrl) return { automatic_payment_methods: { enabled: true }, return_url: returnUrl };
  return { automatic_payment_methods: { enabled: true, allow_redirects: 'never' }, error_on_requires_action: true };
}

/** Where Stripe wants the shopper, when the PaymentIntent waits for a redirect (3-D Secure with a `return_url`). */
export function redirectOf(intent: Stripe.PaymentIntent): NextAction | null {
  const url = intent.status === 'requires_action' && intent.next_action?.type === 'redirect_to_url' ? intent.next_action.redirect_to_url?.url : null;
  return url ? { type: 'redirect_to_url', url } : null;
}

/** The Search Query Language query that finds an attempt's PaymentIntent. */
export function searchQuery(attemptId: string): string {
  return `metadata['${ATTEMPT_KEY}']:'${attemptId.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Provider text as it may reach logs and answers: no card-like digit runs, no secret keys. */
export function safeText(text: string | null | undefined): string | null {
  if (!text) return null;
  return text.replace(/\b\d(?:[ -]?\d){11,18}\b/g, '[redacted digits]').replace(/\b(sk|rk|pk)_(test|live)_[A-Za-z0-9*]+/g, '$1_$2_[redacted]');
}

const CONNECTION_NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** What an SDK error says, read off its fields: the situation of the table, the PaymentIntent it names, its message. */
export interface ErrorFacts {
  situation: Situation;
  paymentIntentId: string | null;
  message: string | null;
}

interface SdkErrorShape {
  type?: string;
  statusCode?: number;
  code?: string;
  decline_code?: string;
  message?: string;
  detail?: { code?: string } | string;
  payment_intent?: { id?: string };
  raw?: { type?: string };
}

export function factsOfError(error: unknown): ErrorFacts {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const message = safeText(e.message ?? String(error));
  const paymentIntentId = e.payment_intent?.id ?? null;
  if (e.type === 'StripeConnectionError') {
    const code = typeof e.detail === 'object' && e.detail ? e.detail.code : undefined;
    const situation: Situation = code && CONNECTION_NOT_SENT.has(code) ? 'net:not_sent' : code === 'ETIMEDOUT' ? 'net:timeout' : 'net:lost';
    return { situation, paymentIntentId, message };
  }
  if (e.type === 'StripeIdempotencyError' || e.raw?.type === 'idempotency_error') return { situation: 'idempotency_error', paymentIntentId, message };
  if (e.type === 'StripeCardError' || e.raw?.type === 'card_error') return { situation: cardSituation(e.code, e.decline_code), paymentIntentId, message };
  if (typeof e.statusCode === 'number') return { situation: httpSituation(e.statusCode, e.code), paymentIntentId, message };
  // No status and no connection error: the SDK failed in a way we cannot place, so money may have moved.
  return { situation: 'net:lost', paymentIntentId, message };
}

/** A thrown SDK error of an authorize, as its reply. */
export function authorizeFailure(error: unknown): StripeReply {
  const facts = factsOfError(error);
  const v = verdict(facts.situation);
  return { outcome: v.outcome, code: v.code, message: facts.message ?? v.why, retryable: v.retryable, providerReference: facts.paymentIntentId, amountCaptured: 0 };
}

/**
 * A PaymentIntent answered by create (HTTP 200), as the authorize reply. `request` says who started it
 * (a merchant-initiated payment never asks for the shopper: waiting for an authentication is declined
 * `authentication_required`) and whether it carries a stored credential (approved: the charge's
 * network transaction id is answered, null when Stripe gave none).
 */
export function authorizeAnswer(intent: Stripe.PaymentIntent, request: Pick<AuthorizeRequest, 'initiator' | 'storedCredential'> = {}): StripeReply {
  const nextAction = isMerchantInitiated(request) ? null : redirectOf(intent);
  if (nextAction) return { outcome: 'requires_action', code: null, message: null, retryable: false, providerReference: intent.id, amountCaptured: 0, nextAction };
  const situation = intent.status === 'requires_payment_method' && intent.last_payment_error
    ? cardSituation(intent.last_payment_error.code, intent.last_payment_error.decline_code)
    : intentSituation(intent.status);
  const v = verdict(situation);
  return {
    outcome: v.outcome,
    code: v.code,
    message: v.outcome === 'approved' ? null : safeText(intent.last_payment_error?.message) ?? v.why,
    retryable: v.retryable,
    providerReference: intent.id,
    amountCaptured: v.outcome === 'approved' ? intent.amount_received : 0,
    ...(v.outcome === 'approved' && request.storedCredential && { networkTransactionId: networkTransactionIdOf(intent) }),
  };
}

/**
 * Refunds that took money back: `succeeded` only. A `pending` (or `requires_action`) one may still
 * fail, and the root settles it by its own outcome or notification, not by this sum.
 */
export function refundedAmount(refunds: readonly Stripe.Refund[]): number {
  return refunds.filter((r) => r.status === 'succeeded').reduce((sum, r) => sum + r.amount, 0);
}

/**
 * The provider's view of an attempt from its PaymentIntent (and, once captured, its refunds). An
 * approved first use of a stored credential answers the charge's network transaction id when the
 * charge came expanded (null: Stripe gave none); with only the charge's id, the field is left out.
 */
export function statusOfIntent(intent: Stripe.PaymentIntent, refunds: readonly Stripe.Refund[] = []): StatusOutcome {
  const status = moneyOfIntent(intent, refunds);
  if (status.state !== 'approved' || !isFirstUse(intent) || !hasExpandedCharge(intent)) return status;
  return { ...status, networkTransactionId: networkTransactionIdOf(intent) };
}

function moneyOfIntent(intent: Stripe.PaymentIntent, refunds: readonly Stripe.Refund[]): StatusOutcome {
  const base = { providerReference: intent.id, amountAuthorized: 0, amountCaptured: 0, amountRefunded: 0, voided: false };
  switch (intent.status) {
    case 'requires_capture':
      return { ...base, state: 'approved', code: null, amountAuthorized: intent.amount };
    case 'succeeded':
      return { ...base, state: 'approved', code: null, amountAuthorized: intent.amount, amountCaptured: intent.amount_received, amountRefunded: refundedAmount(refunds) };
    case 'canceled':
      // Canceled after an authorization (a void): a charge exists and no payment error remains.
      if (intent.latest_charge && !intent.last_payment_error) return { ...base, state: 'approved', code: null, amountAuthorized: intent.amount, voided: true };
      return declinedOrFailed(intent, base);
    case 'requires_payment_method':
      return declinedOrFailed(intent, base);
    case 'requires_action': {
      const nextAction = redirectOf(intent);
      if (nextAction) return { ...base, state: 'requires_action', code: null, nextAction };
      // Waiting for an authentication nobody can send the shopper to (no redirect page).
      return { ...base, state: 'declined', code: verdict('intent:requires_action').code };
    }
    case 'requires_confirmation':
      return { ...base, state: 'failed', code: 'processing_error' };
    default:
      // `processing`: Stripe has not decided yet.
      return { ...base, state: 'unknown', code: 'processing_error' };
  }
}

function declinedOrFailed(intent: Stripe.PaymentIntent, base: Omit<StatusOutcome, 'state' | 'code'>): StatusOutcome {
  const error = intent.last_payment_error;
  if (!error) return { ...base, state: 'failed', code: 'processing_error' };
  const v = verdict(cardSituation(error.code, error.decline_code));
  return { ...base, state: v.outcome === 'declined' ? 'declined' : 'failed', code: v.code };
}

/** A thrown SDK error of a capture, void or refund, as its outcome: a refusal is failed, a lost answer unknown. */
export function operationFailure(error: unknown): OperationOutcome {
  const facts = factsOfError(error);
  const v = verdict(facts.situation);
  const outcome = v.outcome === 'unknown' ? 'unknown' : 'failed';
  return { outcome, code: v.code ?? 'processing_error', message: facts.message ?? v.why, providerReference: null };
}
