import { attemptIdFor, contextWithTimeout, maskCard, type AuthorizeOutcome, type AuthorizeRequest, type NodeContext } from '#gateway-spi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_SECRET_KEY, StripeFake } from '../fake/stripe.fake.js';
import { createStripeClient } from './stripe.client.js';
import { StripeNode } from './stripe.node.js';
import { parseStripeOptions } from './stripe.options.js';

const RETURN_URL = 'https://pay.example.test/v1/payments/return?token=abc';

let fake: StripeFake;
let stripe: StripeNode;
const ctx = (): NodeContext => contextWithTimeout(3000, { traceId: 'stripe-3ds-spec' });
let n = 0;

function payment(number: string, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const paymentId = `pay_3ds${++n}`;
  const card = { number, expMonth: 12, expYear: 2031, cvc: '123' };
  return { paymentId, attemptId: attemptIdFor(paymentId, 1), attemptSeq: 1, merchantId: 'm', amount: 1500, currency: 'EUR', capture: false, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {}, returnUrl: RETURN_URL, ...over };
}

const address = (req: AuthorizeRequest, outcome: AuthorizeOutcome) => ({ path: ['stripe-1'], attemptId: req.attemptId, providerReference: outcome.providerReference });

/**
 * The shopper as the brief's convention has it: a client that only reads the page's form and submits
 * it with the chosen button (the first one by default), then follows the 303 to the return URL, whose
 * query parameters are the return data.
 */
async function shopper(pageUrl: string, button = 0): Promise<Record<string, string>> {
  const page = await fetch(pageUrl);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  expect(/<form[^>]*method="post"/i.test(html)).toBe(true);
  const buttons = [...html.matchAll(/<button type="submit" name="([^"]+)" value="([^"]+)"/g)];
  const [, name, value] = buttons[button]!;
  const answer = await fetch(new URL(action!, pageUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ [name!]: value! }), redirect: 'manual' });
  expect(answer.status).toBe(303);
  const location = answer.headers.get('location')!;
  expect(location.startsWith('https://pay.example.test/v1/payments/return?token=abc&')).toBe(true);
  return Object.fromEntries(new URL(location).searchParams);
}

beforeAll(async () => {
  fake = await StripeFake.start();
  const parsed = parseStripeOptions({ secret_key_env: 'UNUSED', api_base: fake.url, search_lag_ms: 0 });
  stripe = new StripeNode('stripe-1', parsed.options, { client: createStripeClient({ secretKey: FAKE_SECRET_KEY, apiBase: fake.url }) });
});
afterAll(() => fake.close());

describe('stripe node: 3-D Secure through the fake, end to end', () => {
  it('a challenge: requires_action with the page → the shopper completes it → completeAction approved with the authorization', async () => {
    const req = payment('4000000000003220');
    const auth = await stripe.authorize(req, ctx());
    expect(auth).toMatchObject({ outcome: 'requires_action', code: null, retryable: false, amountCaptured: 0, providerReference: expect.stringMatching(/^pi_/), nextAction: { type: 'redirect_to_url', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/redirect\/authenticate\/pi_/) } });
    expect(auth.attempts).toEqual([expect.objectContaining({ outcome: 'requires_action', providerReference: auth.providerReference })]);
    expect(fake.createBodies().at(-1)).toMatchObject({ return_url: RETURN_URL });
    expect(fake.createBodies().at(-1)).not.toHaveProperty('error_on_requires_action');
    // Until the shopper is back, status says where they must go.
    expect(await stripe.status(address(req, auth), ctx())).toMatchObject({ state: 'requires_action', nextAction: auth.nextAction });

    const returnData = await shopper(auth.nextAction!.url);
    expect(returnData).toMatchObject({ token: 'abc', payment_intent: auth.providerReference, redirect_status: 'succeeded', payment_intent_client_secret: expect.stringContaining('_secret_') });
    const done = await stripe.completeAction({ ...address(req, auth), returnData }, ctx());
    expect(done).toMatchObject({ state: 'approved', code: null, providerReference: auth.providerReference, amountAuthorized: 1500, amountCaptured: 0 });
    // Idempotent: a second completion (or a second submit of the page) gives the same answer.
    expect(await stripe.completeAction({ ...address(req, auth), returnData }, ctx())).toEqual(done);
    expect((await shopper(auth.nextAction!.url)).redirect_status).toBe('succeeded');
  });

  it('a sale (capture now) after the challenge: approved and captured', async () => {
    const req = payment('4000002500003155', { capture: true });
    const auth = await stripe.authorize(req, ctx());
    expect(auth.outcome).toBe('requires_action');
    const returnData = await shopper(auth.nextAction!.url);
    expect(await stripe.completeAction({ ...address(req, auth), returnData }, ctx())).toMatchObject({ state: 'approved', amountAuthorized: 1500, amountCaptured: 1500 });
  });

  it('the shopper refuses the challenge (second button): declined authentication_failed', async () => {
    const req = payment('4000000000003220');
    const auth = await stripe.authorize(req, ctx());
    const returnData = await shopper(auth.nextAction!.url, 1);
    expect(returnData.redirect_status).toBe('failed');
    expect(await stripe.completeAction({ ...address(req, auth), returnData }, ctx())).toMatchObject({ state: 'declined', code: 'authentication_failed', amountAuthorized: 0 });
  });

  it('4000008400001629: the challenge completes, then the charge is declined (card_declined)', async () => {
    const req = payment('4000008400001629');
    const auth = await stripe.authorize(req, ctx());
    expect(auth.outcome).toBe('requires_action');
    const returnData = await shopper(auth.nextAction!.url);
    expect(returnData.redirect_status).toBe('failed');
    expect(await stripe.completeAction({ ...address(req, auth), returnData }, ctx())).toMatchObject({ state: 'declined', code: 'card_declined', amountAuthorized: 0 });
  });

  it('frictionless (4000000000003055): approved at once, no redirect', async () => {
    const auth = await stripe.authorize(payment('4000000000003055'), ctx());
    expect(auth).toMatchObject({ outcome: 'approved', code: null });
    expect(auth.nextAction).toBeUndefined();
  });

  it('no return URL: declined authentication_required, and the PaymentIntent is left with no way to charge', async () => {
    const req = payment('4000000000003220', { returnUrl: undefined });
    const auth = await stripe.authorize(req, ctx());
    expect(auth).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false });
    expect(fake.intents.get(auth.providerReference!)?.status).toBe('requires_payment_method');
    expect(await stripe.status(address(req, auth), ctx())).toMatchObject({ state: 'declined', code: 'authentication_required' });
  });

  it('the return data are not believed: a forged redirect_status=succeeded still reads the PaymentIntent (requires_action)', async () => {
    const req = payment('4000000000003220');
    const auth = await stripe.authorize(req, ctx());
    const forged = { payment_intent: auth.providerReference!, redirect_status: 'succeeded' };
    expect(await stripe.completeAction({ ...address(req, auth), returnData: forged }, ctx())).toMatchObject({ state: 'requires_action', nextAction: auth.nextAction });
    // Nor is a returned PaymentIntent of another attempt taken for this one: unknown, never that payment's money.
    const other = payment('4242424242424242');
    const approved = await stripe.authorize(other, ctx());
    expect(await stripe.completeAction({ path: ['stripe-1'], attemptId: req.attemptId, providerReference: null, returnData: { payment_intent: approved.providerReference! } }, ctx())).toMatchObject({ state: 'unknown', amountAuthorized: 0 });
    // Without any reference the attempt id finds its own PaymentIntent.
    expect(await stripe.completeAction({ path: ['stripe-1'], attemptId: req.attemptId, providerReference: null, returnData: {} }, ctx())).toMatchObject({ state: 'requires_action', providerReference: auth.providerReference });
  });

  it('a page of an unknown PaymentIntent or with a wrong client secret is a 404', async () => {
    const auth = await stripe.authorize(payment('4000000000003220'), ctx());
    const url = new URL(auth.nextAction!.url);
    url.searchParams.set('client_secret', 'wrong');
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(`${fake.pagesUrl}/redirect/authenticate/pi_nope?client_secret=x`)).status).toBe(404);
  });
});
