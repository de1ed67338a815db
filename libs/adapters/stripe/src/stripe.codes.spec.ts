import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { STRIPE_VERDICTS, verdict, type Situation } from './stripe.codes.js';
import { authorizeAnswer, authorizeFailure, factsOfError } from './stripe.mapping.js';
import { paymentIntentObject } from '../fake/stripe.fake.js';

const E = Stripe.errors;
const card = (code: string, decline_code?: string) => new E.StripeCardError({ type: 'card_error', code, decline_code, message: 'declined', statusCode: 402 });
const http = (status: number, code?: string) => {
  const raw: Stripe.StripeRawError = { type: status === 429 ? 'invalid_request_error' : 'api_error', code, message: `status ${status}`, statusCode: status };
  if (status === 401) return new E.StripeAuthenticationError(raw);
  if (status === 403) return new E.StripePermissionError(raw);
  if (status === 429) return new E.StripeRateLimitError(raw);
  if (status >= 500) return new E.StripeAPIError(raw);
  if (code === 'idempotency_error') return new E.StripeIdempotencyError({ type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters', statusCode: 400 });
  return new E.StripeInvalidRequestError({ ...raw, type: 'invalid_request_error' });
};
/** What the SDK throws when no HTTP answer came: its `detail` is the socket error. */
const net = (code: string) => new E.StripeConnectionError({ message: 'An error occurred with our connection to Stripe.', detail: Object.assign(new Error(code), { code }) });
const intent = (status: Stripe.PaymentIntent.Status) => paymentIntentObject({ amount: 1000, currency: 'eur', capture_method: 'manual', metadata: {}, status });

type Expected = [outcome: string, code: string | null, retryable: boolean];

/** Every row of the table, reached the way it is in production: from an SDK error or a PaymentIntent. */
const ROWS: Array<[Situation, () => unknown, Expected]> = [
  ['card:generic_decline', () => card('card_declined', 'generic_decline'), ['declined', 'card_declined', false]],
  ['card:card_declined', () => card('card_declined'), ['declined', 'card_declined', false]],
  ['card:insufficient_funds', () => card('card_declined', 'insufficient_funds'), ['declined', 'insufficient_funds', false]],
  ['card:expired_card', () => card('expired_card'), ['declined', 'expired_card', false]],
  ['card:incorrect_cvc', () => card('incorrect_cvc'), ['declined', 'incorrect_cvc', false]],
  ['card:invalid_cvc', () => card('invalid_cvc'), ['declined', 'incorrect_cvc', false]],
  ['card:incorrect_number', () => card('incorrect_number'), ['declined', 'invalid_card_number', false]],
  ['card:invalid_number', () => card('invalid_number'), ['declined', 'invalid_card_number', false]],
  ['card:fraudulent', () => card('card_declined', 'fraudulent'), ['declined', 'suspected_fraud', false]],
  ['card:merchant_blacklist', () => card('card_declined', 'merchant_blacklist'), ['declined', 'suspected_fraud', false]],
  ['card:stolen_card', () => card('card_declined', 'stolen_card'), ['declined', 'stolen_card', false]],
  ['card:lost_card', () => card('card_declined', 'lost_card'), ['declined', 'stolen_card', false]],
  ['card:pickup_card', () => card('card_declined', 'pickup_card'), ['declined', 'stolen_card', false]],
  ['card:do_not_honor', () => card('card_declined', 'do_not_honor'), ['declined', 'do_not_honor', false]],
  ['card:try_again_later', () => card('card_declined', 'try_again_later'), ['declined', 'try_again_later', false]],
  ['card:issuer_not_available', () => card('card_declined', 'issuer_not_available'), ['declined', 'issuer_unavailable', false]],
  ['card:authentication_required', () => card('card_declined', 'authentication_required'), ['declined', 'authentication_required', false]],
  // After a refused 3-D Secure challenge Stripe answers no error: the PaymentIntent carries it.
  ['card:payment_intent_authentication_failure', () => ({ ...intent('requires_payment_method'), last_payment_error: { type: 'invalid_request_error', code: 'payment_intent_authentication_failure' } }), ['declined', 'authentication_failed', false]],
  ['card:processing_error', () => card('processing_error'), ['failed', 'processing_error', true]],
  ['card:*', () => card('card_declined', 'some_future_decline_code'), ['declined', 'card_declined', false]],
  ['idempotency_error', () => http(400, 'idempotency_error'), ['failed', 'processing_error', false]],
  ['http:400', () => http(400, 'parameter_invalid_integer'), ['failed', 'processing_error', true]],
  ['http:401', () => http(401), ['failed', 'provider_unavailable', true]],
  ['http:403', () => http(403), ['failed', 'provider_unavailable', true]],
  ['http:404', () => http(404, 'resource_missing'), ['failed', 'processing_error', true]],
  ['http:409', () => new E.StripeInvalidRequestError({ type: 'invalid_request_error', message: 'in flight', statusCode: 409 }), ['unknown', 'processing_error', false]],
  ['http:429', () => http(429, 'rate_limit'), ['failed', 'provider_unavailable', true]],
  ['http:4xx', () => new E.StripeInvalidRequestError({ type: 'invalid_request_error', message: 'gone', statusCode: 410 }), ['failed', 'processing_error', true]],
  ['http:5xx', () => http(502), ['unknown', 'processing_error', false]],
  ['net:not_sent', () => net('ECONNREFUSED'), ['failed', 'provider_unavailable', true]],
  ['net:timeout', () => net('ETIMEDOUT'), ['unknown', 'provider_timeout', false]],
  ['net:lost', () => net('ECONNRESET'), ['unknown', 'provider_timeout', false]],
  ['deadline:before_send', () => null, ['failed', 'provider_timeout', true]],
  ['deadline:waiting', () => null, ['unknown', 'provider_timeout', false]],
  ['intent:requires_capture', () => intent('requires_capture'), ['approved', null, false]],
  ['intent:succeeded', () => intent('succeeded'), ['approved', null, false]],
  ['intent:requires_action', () => intent('requires_action'), ['declined', 'authentication_required', false]],
  ['intent:processing', () => intent('processing'), ['unknown', 'processing_error', false]],
  ['intent:requires_confirmation', () => intent('requires_confirmation'), ['failed', 'processing_error', true]],
  ['intent:requires_payment_method', () => intent('requires_payment_method'), ['declined', 'card_declined', false]],
  ['intent:canceled', () => intent('canceled'), ['failed', 'processing_error', false]],
];

describe('stripe codes: the one table, row by row', () => {
  it('tests every row of the table exactly once', () => {
    expect(ROWS.map(([situation]) => situation).sort()).toEqual(Object.keys(STRIPE_VERDICTS).sort());
  });

  it.each(ROWS)('%s → %j', (situation, make, [outcome, code, retryable]) => {
    expect(verdict(situation)).toMatchObject({ outcome, code, retryable });
    const input = make();
    if (input === null) return; // our own deadline: no SDK object to read
    if (input instanceof Error) {
      expect(factsOfError(input).situation).toBe(situation);
      expect(authorizeFailure(input)).toMatchObject({ outcome, code, retryable, amountCaptured: 0 });
    } else {
      expect(authorizeAnswer(input as Stripe.PaymentIntent)).toMatchObject({ outcome, code, retryable });
    }
  });

  it('a decline never claims retryable, an unknown never does either', () => {
    for (const v of Object.values(STRIPE_VERDICTS)) if (v.outcome === 'declined' || v.outcome === 'unknown' || v.outcome === 'approved') expect(v.retryable).toBe(false);
  });

  it('an error the SDK cannot place (no status, no connection error) may have charged: unknown', () => {
    expect(authorizeFailure(new Error('weird'))).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false });
  });

  it('a card error carries the PaymentIntent it declined, as the provider reference', () => {
    const declined = new E.StripeCardError({ type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'no', payment_intent: intent('requires_payment_method') });
    expect(authorizeFailure(declined).providerReference).toMatch(/^pi_/);
  });
});
