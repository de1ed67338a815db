import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contextWithTimeout, maskCard, type AuthorizeRequest, type NextAction } from '#gateway-spi';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAdyenFake, type AdyenFake } from '../fake/adyen.fake.js';
import { createAdyenCheckout } from './adyen.client.js';
import { AdyenNode } from './adyen.node.js';
import { parseAdyenOptions } from './adyen.options.js';

const ctx = () => contextWithTimeout(5000, { traceId: 't' });
const HMAC_KEY = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';
const RETURN_URL = 'http://127.0.0.1:9/v1/payments/return?p=1';
let seq = 0;
function payment(number: string, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const card = { number, expMonth: 3, expYear: 2030, cvc: '737' };
  const id = `a${++seq}`;
  return { paymentId: `pay_${id}`, attemptId: `att_${id}_1`, attemptSeq: 1, merchantId: 'm', amount: 1000, currency: 'EUR', capture: false, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {}, returnUrl: RETURN_URL, ...over };
}

/**
 * The generic shopper: opens the page, submits the FIRST submit button of its form (hidden fields
 * and the button's name/value), and reads where the answer sends it (a 303 to the return URL).
 */
async function shopper(action: NextAction): Promise<{ location: string; returnData: Record<string, string> }> {
  const page = await (await fetch(action.url)).text();
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(page);
  if (!form) throw new Error(`no form in ${page}`);
  const fields = new URLSearchParams();
  for (const input of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.set(input[1]!, input[2]!);
  const button = /<button[^>]*type="submit"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/.exec(form[2]!)!;
  fields.set(button[1]!, button[2]!);
  const res = await fetch(form[1]!.replace(/&#38;/g, '&'), { method: 'POST', body: fields, redirect: 'manual' });
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  return { location, returnData: Object.fromEntries(new URL(location).searchParams) };
}

describe('adyen node against the fake: 3-D Secure 2 by redirect', () => {
  let fake: AdyenFake;
  let node: AdyenNode;
  // Every process of one node derives the same return key (the adapter: from the API key).
  const RETURN_KEY = Buffer.from('the node return key');
  const fresh = (returnKey = RETURN_KEY) => {
    const parsed = parseAdyenOptions({ api_key_env: 'K', merchant_account: 'CanopyTest', api_base: fake.url }).options;
    return new AdyenNode('ady', parsed, { checkout: createAdyenCheckout(parsed, 'key-3ds'), returnKey });
  };

  beforeAll(async () => {
    fake = await startAdyenFake({ apiKey: 'key-3ds', merchantAccount: 'CanopyTest' });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    node = fresh();
  });

  it('challenge → requires_action with the page → the shopper completes it → completeAction approved, repeatable, and after a restart too', async () => {
    const req = payment('4917610000000000', { capture: true });
    const outcome = await node.authorize(req, ctx());
    expect(outcome).toMatchObject({ outcome: 'requires_action', code: null, retryable: false, amountCaptured: 0, nextAction: { type: 'redirect_to_url' } });
    // Adyen's RedirectShopper answer carries no pspReference (v72 does not require one): the attempt id stands for it.
    expect(outcome.providerReference).toBe(req.attemptId);
    expect(outcome.nextAction!.url.startsWith(fake.shopperUrl)).toBe(true);
    expect(fake.bodies('/v72/payments').at(-1)).toMatchObject({ authenticationData: { threeDSRequestData: { nativeThreeDS: 'disabled' } } });
    expect((fake.bodies('/v72/payments').at(-1) as { returnUrl: string }).returnUrl).toMatch(new RegExp(`^${RETURN_URL.replace(/[.?]/g, '\\$&')}&adyen_capture=now\\.[0-9a-f]{32}$`));
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: outcome.providerReference };
    expect(await node.status(address, ctx())).toMatchObject({ state: 'requires_action', amountAuthorized: 0, nextAction: outcome.nextAction });

    const { location, returnData } = await shopper(outcome.nextAction!);
    expect(location.startsWith(RETURN_URL)).toBe(true);
    expect(returnData.redirectResult).toBeTruthy();
    const completed = await node.completeAction({ ...address, returnData }, ctx());
    expect(completed).toMatchObject({ state: 'approved', code: null, amountAuthorized: 1000, amountCaptured: 1000 });
    expect(completed.providerReference).toMatch(/^[0-9A-F]{16}$/);
    expect(fake.bodies('/v72/payments/details').at(-1)).toEqual({ details: { redirectResult: returnData.redirectResult } });
    expect(await node.completeAction({ ...address, returnData }, ctx())).toEqual(completed);
    expect(await node.status(address, ctx())).toEqual(completed);

    // Another process (or after a restart): an empty journal, only the returnData: the same answer.
    const restarted = fresh();
    expect(await restarted.completeAction({ ...address, providerReference: null, returnData }, ctx())).toEqual(completed);
    // Adyen refuses a reused redirect result; the same key replays its first answer instead.
    const reused = await fetch(`${fake.url}/v72/payments/details`, { method: 'POST', headers: { 'x-api-key': 'key-3ds', 'content-type': 'application/json' }, body: JSON.stringify({ details: { redirectResult: returnData.redirectResult } }) });
    expect(reused.status).toBe(422);
  });

  it('the capture mode the shopper brings back decides money only when its signature holds: edited, or another key, counts nothing captured', async () => {
    const req = payment('4000000000003220', { capture: false });
    const outcome = await node.authorize(req, ctx());
    const { returnData } = await shopper(outcome.nextAction!);
    expect(returnData.adyen_capture).toMatch(/^later\./);
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: null };
    // The shopper turns "later" into "now" (keeping the mac), or drops the mac: not trusted, nothing counted as captured.
    const edited = { ...returnData, adyen_capture: returnData.adyen_capture!.replace(/^later/, 'now') };
    expect(await fresh().completeAction({ ...address, returnData: edited }, ctx())).toMatchObject({ state: 'approved', amountAuthorized: 1000, amountCaptured: 0 });
    expect(await fresh().completeAction({ ...address, returnData: { ...returnData, adyen_capture: 'now' } }, ctx())).toMatchObject({ state: 'approved', amountCaptured: 0 });
    // A capture-now attempt verified with another key (not this node's): unknown mode, nothing counted.
    const now = payment('4000000000003220', { capture: true });
    const asked = await node.authorize(now, ctx());
    const back = await shopper(asked.nextAction!);
    const nowAddress = { path: ['ady'], attemptId: now.attemptId, providerReference: null };
    expect(await fresh(Buffer.from('another key')).completeAction({ ...nowAddress, returnData: back.returnData }, ctx())).toMatchObject({ state: 'approved', amountCaptured: 0 });
    expect(await fresh().completeAction({ ...nowAddress, returnData: back.returnData }, ctx())).toMatchObject({ state: 'approved', amountCaptured: 1000 });
  });

  it('after a restart the rebuilt entry learns currency and amount from the details answer: captures and refunds are judged, not refused', async () => {
    const req = payment('4000000000003220', { capture: false });
    const outcome = await node.authorize(req, ctx());
    const { returnData } = await shopper(outcome.nextAction!);
    const restarted = fresh();
    const completed = await restarted.completeAction({ path: ['ady'], attemptId: req.attemptId, providerReference: outcome.providerReference, returnData }, ctx());
    expect(completed).toMatchObject({ state: 'approved', amountAuthorized: 1000, amountCaptured: 0 });
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: completed.providerReference };
    expect(await restarted.capture({ ...address, operationId: `${req.attemptId}.capture`, amount: 1001, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'failed' });
    expect(await restarted.capture({ ...address, operationId: 'cap_gbp', amount: 100, currency: 'GBP' }, ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('is in EUR') });
    // No hmac_key_env here: Adyen's `received` answers succeeded.
    expect(await restarted.capture({ ...address, operationId: `${req.attemptId}.capture`, amount: 600, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await restarted.refund({ ...address, operationId: 're_after_restart', amount: 600, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await restarted.status(address, ctx())).toMatchObject({ state: 'approved', amountCaptured: 600, amountRefunded: 600 });
  });

  it('a waiting attempt is voided by payment reference (no pspReference known); Adyen answers TECHNICAL_CANCEL', async () => {
    const req = payment('4000000000003220');
    const outcome = await node.authorize(req, ctx());
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: outcome.providerReference };
    expect(await node.void({ ...address, operationId: `${req.attemptId}.void` }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(fake.bodies('/v72/cancels').at(-1)).toEqual({ merchantAccount: 'CanopyTest', paymentReference: req.attemptId, reference: `${req.attemptId}.void` });
    expect([...fake.payments.values()].find((p) => p.reference === req.attemptId)!.modifications).toMatchObject([{ kind: 'cancel', success: true }]);
    expect(await node.status(address, ctx())).toMatchObject({ state: 'requires_action', voided: true });
  });

  it('challenge refused by the issuer → completeAction declined authentication_failed', async () => {
    const req = payment('4000008400001629');
    const outcome = await node.authorize(req, ctx());
    expect(outcome.outcome).toBe('requires_action');
    const { returnData } = await shopper(outcome.nextAction!);
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: outcome.providerReference };
    expect(await node.completeAction({ ...address, returnData }, ctx())).toMatchObject({ state: 'declined', code: 'authentication_failed', amountAuthorized: 0 });
  });

  it('frictionless → approved in the call, no redirect', async () => {
    const outcome = await node.authorize(payment('4000000000003055'), ctx());
    expect(outcome).toMatchObject({ outcome: 'approved' });
    expect(outcome.nextAction).toBeUndefined();
  });

  it('no returnUrl → declined authentication_required, never asks (attemptAuthentication never)', async () => {
    const outcome = await node.authorize(payment('4000000000003220', { returnUrl: undefined }), ctx());
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false });
    expect(fake.bodies('/v72/payments').at(-1)).toMatchObject({ authenticationData: { attemptAuthentication: 'never' } });
  });

  it('the redirect result of another payment brought back to this one decides nothing here', async () => {
    const mine = payment('4000000000003220');
    const other = payment('4000000000003220');
    const asked = await node.authorize(mine, ctx());
    const otherAsked = await node.authorize(other, ctx());
    const { returnData } = await shopper(otherAsked.nextAction!);
    const address = { path: ['ady'], attemptId: mine.attemptId, providerReference: asked.providerReference };
    expect(await node.completeAction({ ...address, returnData }, ctx())).toMatchObject({ state: 'requires_action', amountAuthorized: 0 });
    expect(await fresh().completeAction({ ...address, providerReference: null, returnData }, ctx())).toMatchObject({ state: 'requires_action', amountAuthorized: 0 });
  });

  it('completeAction without a redirect result reports status; a refused redirect result decides nothing', async () => {
    const req = payment('4000000000003220');
    const outcome = await node.authorize(req, ctx());
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: outcome.providerReference };
    expect(await node.completeAction({ ...address, returnData: {} }, ctx())).toMatchObject({ state: 'requires_action' });
    expect(await node.completeAction({ ...address, returnData: { redirectResult: 'forged' } }, ctx())).toMatchObject({ state: 'requires_action' });
  });
});

describe('adyen node against the fake: pending modifications and notifications', () => {
  let fake: AdyenFake;
  let node: AdyenNode;
  let listener: Server;
  let listenerUrl: string;
  const received: Array<{ body: string; headers: Record<string, string> }> = [];
  let answers: Array<{ status: number; body: string }> = [];

  beforeAll(async () => {
    fake = await startAdyenFake({ apiKey: 'key-n', merchantAccount: 'CanopyTest', retryMs: 20 });
    listener = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ body, headers: req.headers as Record<string, string> });
        const answer = answers.shift() ?? { status: 200, body: '[accepted]' };
        res.writeHead(answer.status, { 'content-type': 'text/plain' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/v1/providers/ady/notifications`;
    fake.registerWebhook({ url: listenerUrl, hmacKey: HMAC_KEY });
    const parsed = parseAdyenOptions({ api_key_env: 'K', merchant_account: 'CanopyTest', api_base: fake.url, hmac_key_env: 'H' }).options;
    node = new AdyenNode('ady', parsed, { checkout: createAdyenCheckout(parsed, 'key-n'), hmacKey: HMAC_KEY });
  });
  afterAll(async () => {
    await fake.close();
    await new Promise((resolve) => listener.close(resolve));
  });
  const parse = (notification: { body: string; headers: Record<string, string> }, nodeId = 'ady') => node.parseNotification({ nodeId, body: notification.body, headers: notification.headers }, ctx());
  const lastNotice = (eventCode: string) => [...fake.notifications()].reverse().find((n) => n.items[0]!.eventCode === eventCode)!;

  it('capture → pending; status claims nothing; its CAPTURE notification → captured with the operation id; status follows', async () => {
    const req = payment('4111111111111111');
    const authorized = await node.authorize(req, ctx());
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: authorized.providerReference };
    const operationId = `${req.attemptId}.capture`;
    expect(await node.capture({ ...address, operationId, amount: 600, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'pending', code: null });
    expect(fake.bodies(/\/captures$/).at(-1)).toMatchObject({ reference: operationId });
    expect(await node.status(address, ctx())).toMatchObject({ state: 'approved', amountAuthorized: 1000, amountCaptured: 0 });

    await vi.waitFor(() => expect(fake.notifications().some((n) => n.items[0]!.eventCode === 'CAPTURE' && n.accepted)).toBe(true));
    const answer = await parse(lastNotice('CAPTURE'));
    expect(answer).toEqual({
      ok: true,
      facts: [expect.objectContaining({ kind: 'captured', attemptId: req.attemptId, operationId, providerReference: authorized.providerReference, amount: 600, currency: 'EUR' })],
      reply: { status: 200, contentType: 'text/plain', body: '[accepted]' },
    });
    expect(await node.status(address, ctx())).toMatchObject({ amountCaptured: 600 });
    // The root retries the capture after the notification: it is confirmed, not pending.
    expect((await node.capture({ ...address, operationId, amount: 600, currency: 'EUR' }, ctx())).outcome).toBe('succeeded');
  });

  it('the AUTHORISATION notification parses to authorized for the attempt', async () => {
    const req = payment('5555555555554444', { capture: true });
    const authorized = await node.authorize(req, ctx());
    await vi.waitFor(() => expect(fake.notifications().some((n) => n.items[0]!.pspReference === authorized.providerReference)).toBe(true));
    const notice = fake.notifications().find((n) => n.items[0]!.pspReference === authorized.providerReference)!;
    expect(await parse(notice)).toMatchObject({ ok: true, facts: [{ kind: 'authorized', attemptId: req.attemptId, providerReference: authorized.providerReference, captured: true, amount: 1000 }] });
  });

  it('refund made to fail (REFUND_FAILED) → refund_failed; status never counted it', async () => {
    const req = payment('4111111111111111', { capture: true });
    const authorized = await node.authorize(req, ctx());
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: authorized.providerReference };
    fake.failNextRefund();
    expect((await node.refund({ ...address, operationId: 're_fail1', amount: 300, currency: 'EUR' }, ctx())).outcome).toBe('pending');
    await vi.waitFor(() => expect(fake.notifications().some((n) => n.items[0]!.eventCode === 'REFUND_FAILED')).toBe(true));
    expect(await parse(lastNotice('REFUND_FAILED'))).toMatchObject({ ok: true, facts: [{ kind: 'refund_failed', operationId: 're_fail1', attemptId: req.attemptId, code: 'processing_error' }] });
    expect(await node.status(address, ctx())).toMatchObject({ amountCaptured: 1000, amountRefunded: 0 });
  });

  it('capture made to fail with success "false" → capture_failed', async () => {
    const req = payment('4111111111111111');
    const authorized = await node.authorize(req, ctx());
    fake.failNextCapture('success_false');
    await node.capture({ path: ['ady'], attemptId: req.attemptId, providerReference: authorized.providerReference, operationId: `${req.attemptId}.capture`, amount: 1000, currency: 'EUR' }, ctx());
    await vi.waitFor(() => expect(fake.notifications().some((n) => n.items[0]!.eventCode === 'CAPTURE' && n.items[0]!.success === 'false')).toBe(true));
    const notice = fake.notifications().find((n) => n.items[0]!.eventCode === 'CAPTURE' && n.items[0]!.success === 'false')!;
    expect(await parse(notice)).toMatchObject({ ok: true, facts: [{ kind: 'capture_failed', operationId: `${req.attemptId}.capture` }] });
  });

  it('a tampered notification → bad_signature; another node → unknown_node; no hmac_key_env → not_supported', async () => {
    const notice = fake.notifications()[0]!;
    const tampered = notice.body.replace(/"value":\d+/, '"value":1');
    expect(tampered).not.toBe(notice.body);
    expect(await parse({ body: tampered, headers: notice.headers })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await parse(notice, 'adyen-other')).toMatchObject({ ok: false, reason: 'unknown_node' });
    const parsed = parseAdyenOptions({ api_key_env: 'K', merchant_account: 'CanopyTest', api_base: fake.url }).options;
    const without = new AdyenNode('ady', parsed, { checkout: createAdyenCheckout(parsed, 'key-n') });
    expect(await without.parseNotification({ nodeId: 'ady', body: notice.body, headers: notice.headers }, ctx())).toMatchObject({ ok: false, reason: 'not_supported' });
  });

  it('delivers to the registered listener, signed, and retries until it answers [accepted]', async () => {
    // Earlier deliveries settle first, so the two refusals below meet this test's notification.
    await vi.waitFor(() => expect(fake.notifications().every((n) => n.accepted)).toBe(true));
    answers = [{ status: 500, body: 'down' }, { status: 200, body: 'ok' }];
    const before = received.length;
    const req = payment('4111111111111111');
    const authorized = await node.authorize(req, ctx());
    await vi.waitFor(() => expect(fake.notifications().find((n) => n.items[0]!.pspReference === authorized.providerReference)?.accepted).toBe(true));
    const notice = fake.notifications().find((n) => n.items[0]!.pspReference === authorized.providerReference)!;
    expect(notice.attempts).toBe(3);
    const posts = received.slice(before).filter((r) => r.body === notice.body);
    expect(posts).toHaveLength(3);
    expect(posts[0]!.headers['content-type']).toBe('application/json');
    expect(notice.url).toBe(listenerUrl);
    expect((await parse(posts[2]!)).ok).toBe(true);
  });

  it('void of a waiting attempt → pending; its TECHNICAL_CANCEL notification → cancelled with the operation id; status follows', async () => {
    const req = payment('4000000000003220');
    const outcome = await node.authorize(req, ctx());
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: outcome.providerReference };
    const operationId = `${req.attemptId}.void`;
    expect(await node.void({ ...address, operationId }, ctx())).toMatchObject({ outcome: 'pending' });
    expect(await node.status(address, ctx())).toMatchObject({ state: 'requires_action', voided: false });
    await vi.waitFor(() => expect(fake.notifications().some((n) => n.items[0]!.eventCode === 'TECHNICAL_CANCEL' && n.items[0]!.merchantReference === operationId)).toBe(true));
    const notice = fake.notifications().find((n) => n.items[0]!.eventCode === 'TECHNICAL_CANCEL' && n.items[0]!.merchantReference === operationId)!;
    expect(await parse(notice)).toMatchObject({ ok: true, facts: [{ kind: 'cancelled', attemptId: req.attemptId, operationId }] });
    expect(await node.status(address, ctx())).toMatchObject({ voided: true });
  });

  it('the contract sample writer: a capture sample parses to captured with its operation id', async () => {
    const sample = fake.notification({ eventId: 'evt_1', kind: 'captured', attemptId: 'att_s_1', providerReference: 'PAYPSP00000000S1', operationId: 'att_s_1.capture', amount: 500, currency: 'EUR' });
    expect(await parse(sample)).toMatchObject({ ok: true, facts: [{ kind: 'captured', attemptId: 'att_s_1', operationId: 'att_s_1.capture', providerReference: 'PAYPSP00000000S1', amount: 500 }] });
  });
});
