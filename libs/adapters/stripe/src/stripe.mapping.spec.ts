import { attemptIdFor, maskCard, type AuthorizeRequest } from '#gateway-spi';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { paymentIntentObject, refundObject } from '../fake/stripe.fake.js';
import { baseUrlOptions } from './stripe.client.js';
import { authorizeAnswer, refundedAmount, safeText, searchQuery, statusOfIntent, toCreateParams } from './stripe.mapping.js';

function request(capture: boolean): AuthorizeRequest {
  const card = { number: '4242424242424242', expMonth: 3, expYear: 2030, cvc: '737' };
  return { paymentId: 'pay_m1', attemptId: attemptIdFor('pay_m1', 2), attemptSeq: 2, merchantId: 'm', amount: 1250, currency: 'EUR', capture, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {} };
}

const pi = (fields: Partial<Stripe.PaymentIntent> & Pick<Stripe.PaymentIntent, 'status'>) =>
  paymentIntentObject({ amount: 1000, currency: 'eur', capture_method: 'manual', metadata: { canopy_attempt_id: 'att_m1_1' }, ...fields });

describe('stripe mapping: request → SDK parameters', () => {
  it('authorize-only is capture_method manual, confirmed at once, raw card, canopy metadata', () => {
    expect(toCreateParams(request(false))).toEqual({
      amount: 1250,
      currency: 'eur',
      capture_method: 'manual',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      // No return URL: nobody can take the shopper to 3-D Secure, so Stripe must fail rather than wait.
      error_on_requires_action: true,
      payment_method_data: { type: 'card', card: { number: '4242424242424242', exp_month: 3, exp_year: 2030, cvc: '737' } },
      metadata: { canopy_attempt_id: 'att_m1_2', canopy_payment_id: 'pay_m1' },
    });
  });

  it('with a return URL: return_url, redirects allowed, no error_on_requires_action', () => {
    const params = toCreateParams({ ...request(false), returnUrl: 'https://pay.example/v1/payments/pay_m1/return' });
    expect(params).toMatchObject({ return_url: 'https://pay.example/v1/payments/pay_m1/return', automatic_payment_methods: { enabled: true } });
    expect(params.automatic_payment_methods).toEqual({ enabled: true });
    expect(params).not.toHaveProperty('error_on_requires_action');
  });

  it('a sale is capture_method automatic', () => {
    expect(toCreateParams(request(true)).capture_method).toBe('automatic');
  });

  it('searches by the attempt id in metadata, quotes escaped', () => {
    expect(searchQuery('att_x_1')).toBe("metadata['canopy_attempt_id']:'att_x_1'");
    expect(searchQuery("att_o'brien_1")).toBe("metadata['canopy_attempt_id']:'att_o\\'brien_1'");
  });

  it('api_base becomes the SDK host, port and protocol', () => {
    expect(baseUrlOptions('http://127.0.0.1:12111')).toEqual({ host: '127.0.0.1', port: '12111', protocol: 'http' });
    expect(baseUrlOptions('https://stripe-proxy.internal')).toEqual({ host: 'stripe-proxy.internal', port: 443, protocol: 'https' });
    expect(baseUrlOptions(null)).toEqual({});
  });

  it('provider text loses card-like digit runs and keys', () => {
    expect(safeText('card 4242 4242 4242 4242 and 4000000000000002, key sk_test_abc123')).toBe('card [redacted digits] and [redacted digits], key sk_test_[redacted]');
  });
});

describe('stripe mapping: 3-D Secure', () => {
  const redirect = { type: 'redirect_to_url', redirect_to_url: { url: 'https://hooks.stripe.com/redirect/authenticate/src_1?client_secret=x', return_url: 'https://pay.example/r' } };

  it('requires_action with redirect_to_url asks for the shopper: requires_action, the page as nextAction, the PaymentIntent as reference', () => {
    const waiting = pi({ status: 'requires_action', next_action: redirect });
    expect(authorizeAnswer(waiting)).toEqual({
      outcome: 'requires_action',
      code: null,
      message: null,
      retryable: false,
      providerReference: waiting.id,
      amountCaptured: 0,
      nextAction: { type: 'redirect_to_url', url: 'https://hooks.stripe.com/redirect/authenticate/src_1?client_secret=x' },
    });
    expect(statusOfIntent(waiting)).toMatchObject({ state: 'requires_action', code: null, amountAuthorized: 0, nextAction: { type: 'redirect_to_url', url: redirect.redirect_to_url.url } });
  });

  it('requires_action without a page to send the shopper to (use_stripe_sdk) is declined authentication_required', () => {
    const sdkOnly = pi({ status: 'requires_action', next_action: { type: 'use_stripe_sdk', use_stripe_sdk: {} } });
    expect(authorizeAnswer(sdkOnly)).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false });
    expect(authorizeAnswer(sdkOnly)).not.toHaveProperty('nextAction');
    expect(statusOfIntent(sdkOnly)).toMatchObject({ state: 'declined', code: 'authentication_required' });
  });

  it('after the return: authorized, captured, refused challenge (authentication_failed), declined after authentication (card_declined)', () => {
    expect(statusOfIntent(pi({ status: 'requires_capture', amount_capturable: 1000 }))).toMatchObject({ state: 'approved', amountAuthorized: 1000 });
    expect(statusOfIntent(pi({ status: 'succeeded', amount_received: 1000, capture_method: 'automatic' }))).toMatchObject({ state: 'approved', amountCaptured: 1000 });
    const refused = pi({ status: 'requires_payment_method', last_payment_error: { type: 'invalid_request_error', code: 'payment_intent_authentication_failure' } });
    expect(statusOfIntent(refused)).toMatchObject({ state: 'declined', code: 'authentication_failed', amountAuthorized: 0 });
    const declined = pi({ status: 'requires_payment_method', latest_charge: 'ch_1', last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' } });
    expect(statusOfIntent(declined)).toMatchObject({ state: 'declined', code: 'card_declined' });
  });
});

describe('stripe mapping: PaymentIntent → outcome and status', () => {
  it('an authorization: approved, nothing captured; a sale: approved, amount_received captured', () => {
    expect(authorizeAnswer(pi({ status: 'requires_capture', amount_capturable: 1000 }))).toMatchObject({ outcome: 'approved', amountCaptured: 0 });
    expect(authorizeAnswer(pi({ status: 'succeeded', amount_received: 1000 }))).toMatchObject({ outcome: 'approved', amountCaptured: 1000 });
  });

  it('status of an authorization, a partial capture with refunds, a void, a decline', () => {
    expect(statusOfIntent(pi({ status: 'requires_capture', amount_capturable: 1000 }))).toMatchObject({ state: 'approved', amountAuthorized: 1000, amountCaptured: 0, voided: false });
    const refunds = [
      refundObject({ amount: 100, currency: 'eur', payment_intent: 'pi_1', charge: 'ch_1' }),
      refundObject({ amount: 50, currency: 'eur', payment_intent: 'pi_1', charge: 'ch_1', status: 'pending' }),
      refundObject({ amount: 999, currency: 'eur', payment_intent: 'pi_1', charge: 'ch_1', status: 'failed' }),
    ];
    // Only the succeeded one: the pending one may still fail, the failed one gave the money back to the charge.
    expect(refundedAmount(refunds)).toBe(100);
    expect(statusOfIntent(pi({ status: 'succeeded', amount_received: 600 }), refunds)).toMatchObject({ state: 'approved', amountAuthorized: 1000, amountCaptured: 600, amountRefunded: 100 });
    expect(statusOfIntent(pi({ status: 'canceled', latest_charge: 'ch_1' }))).toMatchObject({ state: 'approved', voided: true, amountCaptured: 0, amountRefunded: 0 });
    const declined = pi({ status: 'requires_payment_method', latest_charge: 'ch_2', last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' } });
    expect(statusOfIntent(declined)).toMatchObject({ state: 'declined', code: 'insufficient_funds', amountAuthorized: 0 });
    expect(statusOfIntent({ ...declined, status: 'canceled' })).toMatchObject({ state: 'declined', voided: false });
    expect(statusOfIntent(pi({ status: 'processing' }))).toMatchObject({ state: 'unknown' });
  });

  it('a renamed field in a fake answer fails the mapping: amount_received spelled otherwise leaves nothing captured', () => {
    const { amount_received, ...renamed } = pi({ status: 'succeeded', amount_received: 600 });
    const misnamed = { ...renamed, amount_recieved: amount_received } as unknown as Stripe.PaymentIntent;
    expect(statusOfIntent(misnamed).amountCaptured).not.toBe(600);
  });
});
