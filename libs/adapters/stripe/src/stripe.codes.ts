import type { AttemptOutcome, UnifiedCode } from '#gateway-spi';

/** What one Stripe situation means for the money: the outcome, the unified code, and whether a sibling may be tried. */
export interface Verdict {
  outcome: AttemptOutcome;
  code: UnifiedCode | null;
  /** True only when the situation proves nothing was charged. */
  retryable: boolean;
  why: string;
}

const approved = (why: string): Verdict => ({ outcome: 'approved', code: null, retryable: false, why });
const declined = (code: UnifiedCode, why: string): Verdict => ({ outcome: 'declined', code, retryable: false, why });
const refused = (code: UnifiedCode, why: string): Verdict => ({ outcome: 'failed', code, retryable: true, why });
const unknown = (code: UnifiedCode, why: string): Verdict => ({ outcome: 'unknown', code, retryable: false, why });

/**
 * THE table: every Stripe situation the adapter distinguishes, and what it means. Keys:
 * - `card:<decline_code, else code>`: a 402 `card_error` (Stripe declined before charging);
 * - `http:<status>` / `http:5xx` / `idempotency_error`: other API errors;
 * - `net:*`: no HTTP answer (the SDK's StripeConnectionError), `deadline:*`: our own deadline;
 * - `intent:<status>`: a PaymentIntent answered with HTTP 200.
 * Anything not listed falls back to `card:*`, `http:4xx` or `http:5xx`, never passes through unmapped.
 */
export const STRIPE_VERDICTS = {
  'card:generic_decline': declined('card_declined', 'the issuer declined without a reason'),
  'card:card_declined': declined('card_declined', 'declined'),
  'card:insufficient_funds': declined('insufficient_funds', 'insufficient funds'),
  'card:expired_card': declined('expired_card', 'the card has expired'),
  'card:incorrect_cvc': declined('incorrect_cvc', 'the CVC is incorrect'),
  'card:invalid_cvc': declined('incorrect_cvc', 'the CVC is invalid'),
  'card:incorrect_number': declined('invalid_card_number', 'the card number is incorrect'),
  'card:invalid_number': declined('invalid_card_number', 'the card number is invalid'),
  'card:fraudulent': declined('suspected_fraud', 'Stripe (Radar) or the issuer suspects fraud'),
  'card:merchant_blacklist': declined('suspected_fraud', 'blocked by the account\'s block list'),
  'card:stolen_card': declined('stolen_card', 'the card is reported stolen'),
  'card:lost_card': declined('stolen_card', 'the card is reported lost'),
  'card:pickup_card': declined('stolen_card', 'the issuer asks to retain the card (lost or stolen)'),
  'card:do_not_honor': declined('do_not_honor', 'the issuer said do not honor'),
  'card:try_again_later': declined('try_again_later', 'the issuer asks to retry later (soft decline)'),
  'card:issuer_not_available': declined('issuer_unavailable', 'the issuer could not be reached (soft decline)'),
  'card:authentication_required': declined('authentication_required', 'the issuer requires 3-D Secure'),
  'card:payment_intent_authentication_failure': declined('authentication_failed', 'the shopper did not pass 3-D Secure'),
  'card:processing_error': refused('processing_error', 'Stripe could not process the card; nothing was charged, a retry may succeed'),
  'card:*': declined('card_declined', 'a decline code this table does not name'),
  idempotency_error: { outcome: 'failed', code: 'processing_error', retryable: false, why: 'the key was already used with other parameters: its first use may have charged' },
  'http:400': refused('processing_error', 'invalid request, refused before processing'),
  'http:401': refused('provider_unavailable', 'the secret key was refused'),
  'http:403': refused('provider_unavailable', 'the key lacks the permission'),
  'http:404': refused('processing_error', 'no such object'),
  'http:409': unknown('processing_error', 'a request with the same idempotency key is still in flight'),
  'http:429': refused('provider_unavailable', 'rate limited, refused before processing'),
  'http:4xx': refused('processing_error', 'refused before processing'),
  'http:5xx': unknown('processing_error', 'Stripe failed after receiving the request: it may have acted'),
  'net:not_sent': refused('provider_unavailable', 'the connection was refused or the host not found: nothing was sent'),
  'net:timeout': unknown('provider_timeout', 'no answer within the deadline: Stripe may have acted'),
  'net:lost': unknown('provider_timeout', 'the connection broke after sending: Stripe may have acted'),
  'deadline:before_send': { outcome: 'failed', code: 'provider_timeout', retryable: true, why: 'the deadline passed before the call was sent' },
  'deadline:waiting': unknown('provider_timeout', 'the deadline passed while waiting for Stripe: it may have acted'),
  'intent:requires_capture': approved('authorized, to be captured'),
  'intent:succeeded': approved('authorized and captured'),
  'intent:requires_action': declined('authentication_required', 'the card needs 3-D Secure and Stripe gave no page to send the shopper to (nothing charged)'),
  'intent:processing': unknown('processing_error', 'Stripe is still processing the payment'),
  'intent:requires_confirmation': refused('processing_error', 'the PaymentIntent was not confirmed'),
  'intent:requires_payment_method': declined('card_declined', 'declined: the PaymentIntent wants another payment method'),
  'intent:canceled': { outcome: 'failed', code: 'processing_error', retryable: false, why: 'the PaymentIntent is canceled' },
} as const satisfies Record<string, Verdict>;

export type Situation = keyof typeof STRIPE_VERDICTS;

/** The key of a card error: the issuer's `decline_code` when Stripe gives one, else the error `code`. */
export function cardSituation(code: string | null | undefined, declineCode: string | null | undefined): Situation {
  const key = `card:${declineCode || code || ''}`;
  return key in STRIPE_VERDICTS ? (key as Situation) : 'card:*';
}

/** The key of a non-card API error by HTTP status. */
export function httpSituation(status: number, code?: string | null): Situation {
  if (code === 'idempotency_error' || code === 'idempotency_key_in_use') return code === 'idempotency_key_in_use' ? 'http:409' : 'idempotency_error';
  if (status >= 500) return 'http:5xx';
  const key = `http:${status}`;
  return key in STRIPE_VERDICTS ? (key as Situation) : 'http:4xx';
}

export function intentSituation(status: string): Situation {
  const key = `intent:${status}`;
  return key in STRIPE_VERDICTS ? (key as Situation) : 'intent:processing';
}

export function verdict(situation: Situation): Verdict {
  return STRIPE_VERDICTS[situation];
}
