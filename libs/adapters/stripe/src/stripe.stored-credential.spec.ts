import { attemptIdFor, maskCard, type AuthorizeRequest, type StoredCredential } from '#gateway-spi';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { paymentIntentObject } from '../fake/stripe.fake.js';
import { authorizeAnswer, statusOfIntent, toCreateParams } from './stripe.mapping.js';
import { networkTransactionIdOf, storedCredentialProblem } from './stripe.stored-credential.js';

function request(over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const card = { number: '4242424242424242', expMonth: 3, expYear: 2030, cvc: '737' };
  return { paymentId: 'pay_sc1', attemptId: attemptIdFor('pay_sc1', 1), attemptSeq: 1, merchantId: 'm', amount: 1250, currency: 'EUR', capture: false, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {}, ...over };
}

const first: StoredCredential = { usage: 'first', model: 'recurring', networkTransactionId: null };
const subsequent = (networkTransactionId: string | null, model: StoredCredential['model'] = 'unscheduled'): StoredCredential => ({ usage: 'subsequent', model, networkTransactionId });

const intent = (fields: Partial<Stripe.PaymentIntent> & Pick<Stripe.PaymentIntent, 'status'>) =>
  paymentIntentObject({ amount: 1250, currency: 'eur', capture_method: 'manual', metadata: {}, amount_capturable: 1250, ...fields });

/** An expanded `latest_charge` as far as the mapping reads it. */
const charge = (networkTransactionId: string | null) => ({ id: 'ch_1', object: 'charge', payment_method_details: { type: 'card', card: { network_transaction_id: networkTransactionId } } }) as unknown as Stripe.Charge;

describe('stripe stored credentials: request → PaymentIntent create', () => {
  it('a one-off payment carries none of the stored-credential fields', () => {
    const params = toCreateParams(request());
    for (const field of ['setup_future_usage', 'off_session', 'payment_method_options', 'expand']) expect(params).not.toHaveProperty(field);
  });

  it('first: setup_future_usage off_session, setup_credential_usage = the model, latest_charge expanded; on session (no off_session)', () => {
    const params = toCreateParams(request({ storedCredential: first, returnUrl: 'https://pay.example/r' }));
    expect(params).toMatchObject({ setup_future_usage: 'off_session', payment_method_options: { card: { setup_credential_usage: 'recurring' } }, expand: ['latest_charge'], return_url: 'https://pay.example/r' });
    expect(params).not.toHaveProperty('off_session');
    expect(params.payment_method_options).toEqual({ card: { setup_credential_usage: 'recurring' } });
  });

  it('subsequent, merchant-initiated: off_session, stored_credential_usage, the first payment\'s id as mit_exemption; never return_url, error_on_requires_action', () => {
    const params = toCreateParams(request({ initiator: 'merchant', storedCredential: subsequent('483297519374652'), returnUrl: 'https://pay.example/r' }));
    expect(params).toMatchObject({
      off_session: true,
      error_on_requires_action: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      payment_method_options: { card: { stored_credential_usage: 'unscheduled', mit_exemption: { network_transaction_id: '483297519374652' } } },
      expand: ['latest_charge'],
    });
    expect(params).not.toHaveProperty('return_url');
    expect(params).not.toHaveProperty('setup_future_usage');
  });

  it('subsequent, merchant-initiated, the first id unknown (null): no mit_exemption, the rest as before', () => {
    const params = toCreateParams(request({ initiator: 'merchant', storedCredential: subsequent(null, 'recurring') }));
    expect(params.payment_method_options).toEqual({ card: { stored_credential_usage: 'recurring' } });
    expect(params.off_session).toBe(true);
  });

  it('subsequent, customer-initiated (the shopper is there): on session, no MIT fields, the charge still expanded', () => {
    const params = toCreateParams(request({ initiator: 'customer', storedCredential: subsequent('483297519374652'), returnUrl: 'https://pay.example/r' }));
    expect(params).toMatchObject({ return_url: 'https://pay.example/r', expand: ['latest_charge'] });
    for (const field of ['off_session', 'payment_method_options', 'setup_future_usage']) expect(params).not.toHaveProperty(field);
  });

  it('merchant-initiated without a stored credential: off_session, nothing expanded', () => {
    const params = toCreateParams(request({ initiator: 'merchant' }));
    expect(params).toMatchObject({ off_session: true, error_on_requires_action: true });
    expect(params).not.toHaveProperty('expand');
  });

  it('a malformed initiator or stored credential is named before anything is sent', () => {
    expect(storedCredentialProblem(request({ storedCredential: first }))).toBeNull();
    expect(storedCredentialProblem(request({ initiator: 'robot' as never }))).toMatch(/^initiator/);
    expect(storedCredentialProblem(request({ storedCredential: { ...first, usage: 'second' as never } }))).toMatch(/usage/);
    expect(storedCredentialProblem(request({ storedCredential: { ...first, model: 'monthly' as never } }))).toMatch(/model/);
    expect(storedCredentialProblem(request({ storedCredential: subsequent(' ') }))).toMatch(/networkTransactionId/);
  });
});

describe('stripe stored credentials: answer → outcome', () => {
  it('approved with a stored credential answers the expanded charge\'s network transaction id', () => {
    expect(authorizeAnswer(intent({ status: 'requires_capture', latest_charge: charge('381234567890123') }), { storedCredential: first })).toMatchObject({ outcome: 'approved', networkTransactionId: '381234567890123' });
    // Stripe gives none for some brands: null, still answered.
    expect(authorizeAnswer(intent({ status: 'requires_capture', latest_charge: charge(null) }), { storedCredential: first })).toMatchObject({ outcome: 'approved', networkTransactionId: null });
    // Not expanded (a charge id only): null.
    expect(networkTransactionIdOf(intent({ status: 'requires_capture', latest_charge: 'ch_1' }))).toBeNull();
  });

  it('without a stored credential, or not approved, no networkTransactionId at all', () => {
    expect(authorizeAnswer(intent({ status: 'requires_capture', latest_charge: charge('381234567890123') }))).not.toHaveProperty('networkTransactionId');
    const declined = intent({ status: 'requires_payment_method', last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' } });
    expect(authorizeAnswer(declined, { storedCredential: first })).not.toHaveProperty('networkTransactionId');
  });

  it('merchant-initiated never asks for the shopper: even a redirect is declined authentication_required', () => {
    const waiting = intent({ status: 'requires_action', next_action: { type: 'redirect_to_url', redirect_to_url: { url: 'https://hooks.stripe.com/x', return_url: 'https://pay.example/r' } } });
    expect(authorizeAnswer(waiting, { initiator: 'customer' })).toMatchObject({ outcome: 'requires_action' });
    const mit = authorizeAnswer(waiting, { initiator: 'merchant', storedCredential: subsequent('483297519374652') });
    expect(mit).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false });
    expect(mit).not.toHaveProperty('nextAction');
  });
});

describe('stripe stored credentials: a PaymentIntent read later → status', () => {
  const firstUse = (fields: Partial<Stripe.PaymentIntent> & Pick<Stripe.PaymentIntent, 'status'>) => intent({ setup_future_usage: 'off_session', ...fields });

  it('an approved first use (setup_future_usage set) with its charge expanded answers the charge\'s id; null when Stripe gave none', () => {
    expect(statusOfIntent(firstUse({ status: 'requires_capture', latest_charge: charge('381234567890123') }))).toMatchObject({ state: 'approved', networkTransactionId: '381234567890123' });
    expect(statusOfIntent(firstUse({ status: 'succeeded', amount_received: 1250, latest_charge: charge('381234567890123') }))).toMatchObject({ state: 'approved', amountCaptured: 1250, networkTransactionId: '381234567890123' });
    expect(statusOfIntent(firstUse({ status: 'requires_capture', latest_charge: charge(null) }))).toMatchObject({ state: 'approved', networkTransactionId: null });
  });

  it('the charge not expanded (its id only): no networkTransactionId, since nothing was read', () => {
    expect(statusOfIntent(firstUse({ status: 'requires_capture', latest_charge: 'ch_1' }))).not.toHaveProperty('networkTransactionId');
  });

  it('a one-off payment, or a first use not approved (declined, waiting for the shopper), has none', () => {
    expect(statusOfIntent(intent({ status: 'requires_capture', latest_charge: charge('381234567890123') }))).not.toHaveProperty('networkTransactionId');
    const declined = firstUse({ status: 'requires_payment_method', latest_charge: charge(null), last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' } });
    expect(statusOfIntent(declined)).toMatchObject({ state: 'declined' });
    expect(statusOfIntent(declined)).not.toHaveProperty('networkTransactionId');
    const waiting = firstUse({ status: 'requires_action', next_action: { type: 'redirect_to_url', redirect_to_url: { url: 'https://hooks.stripe.com/x', return_url: 'https://pay.example/r' } } });
    expect(statusOfIntent(waiting)).not.toHaveProperty('networkTransactionId');
  });
});
