import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdyenFake } from '../../libs/adapters/adyen/fake/adyen.fake.js';
import type { FormObject } from '../../libs/adapters/stripe/fake/form.js';
import type { StripeFake } from '../../libs/adapters/stripe/fake/stripe.fake.js';
import { testBackends } from '../support/databases.js';
import { type Gateway, gatewayForSuite, MerchantSession } from '../support/gateway-harness.js';
import { type ProviderFakes, startProviderFakes } from '../support/provider-fakes.js';

const budgets = { timeout_ms: 1500, status_timeout_ms: 700 };

const STRIPE_LEAF = 'root/europe/stripe-eu';
const ADYEN_LEAF = 'root/europe/adyen-eu';

/** EUR goes to Stripe first, Adyen when Stripe cannot take it: both real adapter types, each against its wire-level fake. */
function europeTree(fakes: ProviderFakes): unknown {
  return {
    root: {
      id: 'root',
      type: 'router',
      strategy: 'rules',
      ...budgets,
      rules: [{ when: { currency: ['EUR'] }, to: 'europe' }],
      default: 'europe',
      children: [
        {
          id: 'europe',
          type: 'router',
          strategy: 'priority',
          ...budgets,
          children: [fakes.stripeLeaf('stripe-eu', ['EUR']), fakes.adyenLeaf('adyen-eu', ['EUR'])],
        },
      ],
    },
  };
}

interface PaymentAnswer {
  id: string;
  status: string;
  off_session: boolean;
  payment_method: { id: string | null };
  customer: { id: string | null };
  route: { path: string | null; attempts: Array<{ id: string; path: string; outcome: string; code: string | null }> };
}

describe.each(await testBackends())('a saved card charged off-session at one provider, then another, on $name', (backend) => {
  let fakes: ProviderFakes;
  let stripe: StripeFake;
  let adyen: AdyenFake;
  const suite: { tree?: unknown } = {};
  beforeAll(async () => {
    fakes = await startProviderFakes('RECURRING');
    ({ stripe, adyen } = fakes);
    suite.tree = europeTree(fakes);
  });
  const started = gatewayForSuite(backend, {
    get tree() {
      return suite.tree;
    },
  });
  let gateway: Gateway;
  let merchant: MerchantSession;
  afterAll(async () => {
    await fakes?.close();
  });

  // What the steps hand on: the customer, the saved method and the scheme's id Stripe's fake gave the first charge.
  let customerId: string;
  let methodId: string;
  let firstNetworkTransactionId: string;

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
    customerId = (await merchant.post('/v1/customers', { name: 'Ada', email: 'ada@example.com' }).expect(201)).body.id;
  });

  const offSession = () => merchant.post('/v1/payments', { amount: 1500, currency: 'EUR', payment_method: methodId, off_session: true });

  const attemptAt = (payment: PaymentAnswer, path: string) => {
    const attempt = payment.route.attempts.find((a) => a.path === path);
    if (!attempt) throw new Error(`payment ${payment.id} made no attempt at ${path}`);
    return attempt;
  };
  /** The PaymentIntent the Stripe fake created for an attempt (the adapter puts the attempt id in its metadata). */
  const intentOf = (attemptId: string) => {
    const intents = [...stripe.intents.values()].filter((intent) => intent.metadata.canopy_attempt_id === attemptId);
    expect(intents).toHaveLength(1);
    return intents[0]!;
  };
  /** The form body of the PaymentIntent create the Stripe fake received for an attempt. */
  const stripeCreateOf = (attemptId: string): FormObject => {
    const bodies = stripe.createBodies().filter((form) => (form.metadata as Record<string, string> | undefined)?.canopy_attempt_id === attemptId);
    expect(bodies).toHaveLength(1);
    return bodies[0]!;
  };
  /** The /payments body the Adyen fake received for an attempt (`reference` is the attempt id). */
  const adyenBodyOf = (attemptId: string) => {
    const bodies = adyen.bodies('/v72/payments').filter((body) => (body as { reference?: string }).reference === attemptId);
    expect(bodies).toHaveLength(1);
    return bodies[0] as Record<string, any>;
  };
  const cardOf = (form: FormObject) => (form.payment_method_data as FormObject).card as FormObject;

  it('1. a first payment with a token and setup_future_usage succeeds at Stripe, is sent as the first of a stored credential, and saves the card', async () => {
    const token = await merchant.tokenize('4242424242424242', '123');
    const answer = await merchant.post('/v1/payments', { amount: 2000, currency: 'EUR', payment_method: token, customer: customerId, setup_future_usage: 'off_session' }).expect(201);
    const payment = answer.body as PaymentAnswer;
    expect(payment).toMatchObject({ status: 'captured', off_session: false, customer: { id: customerId }, route: { path: STRIPE_LEAF } });
    expect(payment.payment_method.id).toMatch(/^pm_/);
    methodId = payment.payment_method.id!;

    const attempt = attemptAt(payment, STRIPE_LEAF);
    const intent = intentOf(attempt.id);
    expect(intent).toMatchObject({ status: 'succeeded', amount: 2000, currency: 'eur' });
    const atStripe = stripe.storedCredentialOf(intent.id)!;
    expect(atStripe.received).toEqual({ offSession: false, setupFutureUsage: 'off_session', setupCredentialUsage: 'unscheduled', storedCredentialUsage: null, mitNetworkTransactionId: null });
    expect(atStripe.networkTransactionId).toEqual(expect.any(String));
    firstNetworkTransactionId = atStripe.networkTransactionId!;
    // The shopper was there: the CVC typed into the token went with this payment, once.
    expect(cardOf(stripeCreateOf(attempt.id)).cvc).toBe('123');

    const saved = await merchant.get(`/v1/customers/${customerId}/payment_methods`).expect(200);
    expect(saved.body).toMatchObject({ object: 'list', data: [{ id: methodId, customer: customerId, card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 } }] });
    expect(saved.body.data).toHaveLength(1);
  });

  it('2. an off-session payment with the saved method succeeds at Stripe, received as merchant-initiated with the first charge\'s network transaction id', async () => {
    const payment = (await offSession().expect(201)).body as PaymentAnswer;
    expect(payment).toMatchObject({ status: 'captured', off_session: true, payment_method: { id: methodId }, customer: { id: customerId }, route: { path: STRIPE_LEAF } });
    expect(payment.route.attempts).toHaveLength(1);

    const attempt = attemptAt(payment, STRIPE_LEAF);
    const intent = intentOf(attempt.id);
    expect(intent).toMatchObject({ status: 'succeeded', amount: 1500 });
    expect(stripe.storedCredentialOf(intent.id)!.received).toEqual({
      offSession: true,
      setupFutureUsage: null,
      setupCredentialUsage: null,
      storedCredentialUsage: 'unscheduled',
      mitNetworkTransactionId: firstNetworkTransactionId,
    });
    const create = stripeCreateOf(attempt.id);
    expect(create).toMatchObject({ off_session: 'true', payment_method_options: { card: { stored_credential_usage: 'unscheduled', mit_exemption: { network_transaction_id: firstNetworkTransactionId } } } });
    // Nobody to send anywhere, and no CVC: a saved card never has one.
    expect(create).not.toHaveProperty('return_url');
    expect(create).not.toHaveProperty('setup_future_usage');
    expect(cardOf(create)).not.toHaveProperty('cvc');
    expect(cardOf(create)).toMatchObject({ number: '4242424242424242', exp_month: '12', exp_year: '2030' });
  });

  it('3. with Stripe down, the off-session payment fails over and succeeds at Adyen, received as ContAuth with the network transaction id Stripe\'s charge got', async () => {
    const stripeCreates = stripe.createBodies().length;
    await stripe.server.down();
    let payment: PaymentAnswer;
    try {
      payment = (await offSession().expect(201)).body as PaymentAnswer;
    } finally {
      await stripe.server.up();
    }
    expect(payment).toMatchObject({ status: 'captured', off_session: true, payment_method: { id: methodId }, route: { path: ADYEN_LEAF } });
    expect(payment.route.attempts.map((a) => [a.path, a.outcome, a.code])).toEqual([
      [STRIPE_LEAF, 'failed', 'provider_unavailable'],
      [ADYEN_LEAF, 'approved', null],
    ]);
    expect(stripe.createBodies()).toHaveLength(stripeCreates);

    const attempt = attemptAt(payment, ADYEN_LEAF);
    const body = adyenBodyOf(attempt.id);
    expect(body).toMatchObject({
      amount: { value: 1500, currency: 'EUR' },
      shopperInteraction: 'ContAuth',
      recurringProcessingModel: 'UnscheduledCardOnFile',
      additionalData: { networkTxReference: firstNetworkTransactionId },
      authenticationData: { attemptAuthentication: 'never' },
      paymentMethod: { type: 'scheme', number: '4242424242424242', expiryMonth: '12', expiryYear: '2030' },
    });
    expect(body.paymentMethod).not.toHaveProperty('cvc');
    expect(adyen.paymentByReference(attempt.id)).toMatchObject({
      resultCode: 'Authorised',
      capturedAtOnce: true,
      shopperInteraction: 'ContAuth',
      shopperAsked: false,
      storedCredential: { recurringProcessingModel: 'UnscheduledCardOnFile', merchantInitiated: true, receivedNetworkTxReference: firstNetworkTransactionId },
    });
  });

  it('4. once detached, the method can no longer be charged: 400 payment_method_detached, and neither provider is asked', async () => {
    const detached = await merchant.post(`/v1/payment_methods/${methodId}/detach`).expect(200);
    expect(detached.body).toMatchObject({ id: methodId, customer: null, detached_at: expect.any(String) });
    expect((await merchant.get(`/v1/customers/${customerId}/payment_methods`).expect(200)).body.data).toEqual([]);

    const stripeRequests = stripe.server.requests.length;
    const adyenRequests = adyen.server.requests.length;
    const refused = await offSession().expect(400);
    expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', code: 'payment_method_detached', param: 'payment_method' });
    expect(stripe.server.requests.length).toBe(stripeRequests);
    expect(adyen.server.requests.length).toBe(adyenRequests);
    expect(stripe.intents.size).toBe(2);
    expect(adyen.payments.size).toBe(1);
  });
});
