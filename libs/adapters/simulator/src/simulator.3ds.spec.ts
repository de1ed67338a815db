import { createServer, type Server } from 'node:net';
import { attemptIdFor, contextWithTimeout, type AuthorizeRequest, type NodeContext } from '#gateway-spi';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatorNode, type SimulatorDeps } from './simulator.node.js';
import { parseSimulatorOptions } from './simulator.options.js';
import { cardRequest } from '../test-support/card-request.js';

const CHALLENGE_APPROVED = '4000000000003220';
const CHALLENGE_REFUSED = '4000008400001629';
const FRICTIONLESS = '4000000000003055';
const RETURN_URL = 'https://gateway.test/v1/payments/pay_1/return?p=pay_1';

const ctx = (ms = 5000): NodeContext => contextWithTimeout(ms, { traceId: 'test' });

const nodes: SimulatorNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.close()));
});

function sim(options: Record<string, unknown> = {}, deps: SimulatorDeps = {}, id = 'sim'): SimulatorNode {
  const parsed = parseSimulatorOptions(options);
  expect(parsed.problems).toEqual([]);
  const node = new SimulatorNode(id, parsed.options, deps);
  nodes.push(node);
  return node;
}

const authReq = (number: string, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest => cardRequest(number, { returnUrl: RETURN_URL, ...over });

const address = () => ({ path: ['sim'], attemptId: attemptIdFor('pay_1', 1), providerReference: null });

/** A shopper that only submits forms: the page's first form, with its first submit button (or the one at `button`). */
async function submitChallenge(pageUrl: string, button = 0): Promise<Response> {
  const page = await fetch(pageUrl);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`no form in ${html}`);
  const attribute = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag)?.[1];
  expect(attribute(form[1], 'method')?.toLowerCase()).toBe('post');
  const action = new URL(attribute(form[1], 'action')?.replace(/&amp;/g, '&') ?? '', pageUrl);
  const buttons = [...form[2].matchAll(/<button\b([^>]*)>/gi)].map((b) => b[1]).filter((tag) => (attribute(tag, 'type') ?? 'submit') === 'submit');
  const chosen = buttons[button];
  const body = new URLSearchParams({ [attribute(chosen, 'name') ?? '']: attribute(chosen, 'value') ?? '' });
  return fetch(action, { method: 'POST', body, redirect: 'manual' });
}

async function challenge(node: SimulatorNode, over: Partial<AuthorizeRequest> = {}, number = CHALLENGE_APPROVED) {
  const outcome = await node.authorize(authReq(number, over), ctx());
  expect(outcome.outcome).toBe('requires_action');
  const url = outcome.nextAction?.url;
  if (!url) throw new Error('no next action');
  return { outcome, url };
}

describe('simulator 3-D Secure: authorize', () => {
  it('a challenge card with a return URL asks for the shopper: requires_action with a redirect to the challenge page', async () => {
    const outcome = await sim().authorize(authReq(CHALLENGE_APPROVED, { capture: true }), ctx());
    expect(outcome).toMatchObject({
      outcome: 'requires_action',
      code: null,
      retryable: false,
      amountCaptured: 0,
      providerReference: expect.stringMatching(/^simch_/),
      path: ['sim'],
      nextAction: { type: 'redirect_to_url', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/challenges\/[A-Za-z0-9_-]{32}$/) },
    });
    expect(outcome.attempts).toEqual([expect.objectContaining({ outcome: 'requires_action', code: null, providerReference: outcome.providerReference })]);
    expect(JSON.stringify(outcome)).not.toContain(CHALLENGE_APPROVED);
    expect(outcome.nextAction?.url).not.toContain(attemptIdFor('pay_1', 1));
  });

  it.each([CHALLENGE_APPROVED, CHALLENGE_REFUSED])('%s without a return URL declines authentication_required and charges nothing', async (number) => {
    const node = sim();
    const outcome = await node.authorize(authReq(number, { returnUrl: undefined, capture: true }), ctx());
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false, amountCaptured: 0 });
    expect(outcome.nextAction).toBeUndefined();
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'declined', code: 'authentication_required', amountAuthorized: 0 });
  });

  it('the frictionless card approves with no redirect, with or without a return URL', async () => {
    const outcome = await sim().authorize(authReq(FRICTIONLESS, { capture: true }), ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', code: null, amountCaptured: 1000 });
    expect(outcome.nextAction).toBeUndefined();
    expect(await sim({}, {}, 'sim').authorize(authReq(FRICTIONLESS, { returnUrl: undefined }), ctx())).toMatchObject({ outcome: 'approved' });
  });

  it('a return URL that is not absolute http(s) is refused before anything is charged', async () => {
    const node = sim();
    expect(await node.authorize(authReq(CHALLENGE_APPROVED, { returnUrl: '/relative' }), ctx())).toMatchObject({
      outcome: 'failed',
      code: 'processing_error',
      retryable: true,
    });
    expect((await node.status(address(), ctx())).state).toBe('not_found');
  });

  it('a replay of the attempt id answers the same challenge and records no second one', async () => {
    const node = sim();
    const { outcome } = await challenge(node);
    const [replay, concurrent] = await Promise.all([node.authorize(authReq(CHALLENGE_APPROVED), ctx()), node.authorize(authReq(CHALLENGE_APPROVED), ctx())]);
    expect(replay).toMatchObject({ outcome: 'requires_action', providerReference: outcome.providerReference, nextAction: outcome.nextAction });
    expect(concurrent.nextAction).toEqual(outcome.nextAction);
  });

  it('concurrent first calls with one attempt id record one challenge', async () => {
    const node = sim();
    const [a, b] = await Promise.all([node.authorize(authReq(CHALLENGE_APPROVED), ctx()), node.authorize(authReq(CHALLENGE_APPROVED), ctx())]);
    expect(a.nextAction).toEqual(b.nextAction);
    expect(a.providerReference).toBe(b.providerReference);
  });

  it('every challenge gets its own unguessable page', async () => {
    const node = sim();
    const first = await challenge(node);
    const second = await challenge(node, { attemptId: attemptIdFor('pay_1', 2), attemptSeq: 2 });
    expect(first.url).not.toBe(second.url);
  });

  it('faults apply to a challenge card as to any: down fails retryably, timeout records the challenge but loses the reply', async () => {
    const node = sim();
    node.faults.setFault({ mode: 'down' });
    expect(await node.authorize(authReq(CHALLENGE_APPROVED), ctx())).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
    node.faults.setFault({ mode: 'error' });
    expect(await node.authorize(authReq(CHALLENGE_APPROVED), ctx())).toMatchObject({ outcome: 'failed', code: 'processing_error', retryable: true });
    node.faults.clearFault();
    expect((await node.status(address(), ctx())).state).toBe('not_found');

    node.faults.setFault({ mode: 'timeout' });
    expect(await node.authorize(authReq(CHALLENGE_APPROVED), ctx(50))).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false });
    node.faults.clearFault();
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'requires_action', nextAction: { type: 'redirect_to_url' } });

    node.faults.setFault({ mode: 'slow', latencyMs: 5 });
    expect((await node.authorize(authReq(CHALLENGE_APPROVED, { attemptId: 'att_1_9' }), ctx())).outcome).toBe('requires_action');
  });

  it('a challenge page that cannot listen fails retryably, charges nothing, and is retried by the next call', async () => {
    const blocker = await occupiedPort();
    const port = (blocker.address() as { port: number }).port;
    const node = sim({ challenge_port: port });
    expect(await node.authorize(authReq(CHALLENGE_APPROVED), ctx())).toMatchObject({
      outcome: 'failed',
      code: 'processing_error',
      retryable: true,
      message: expect.stringContaining(String(port)),
    });
    expect((await node.status(address(), ctx())).state).toBe('not_found');
    await new Promise((resolve) => blocker.close(resolve));
    const { url } = await challenge(node);
    expect(url).toContain(`:${port}/challenges/`);
  });
});

describe('simulator 3-D Secure: the shopper, status and completeAction', () => {
  it('waiting: status and completeAction say requires_action with the page', async () => {
    const node = sim();
    const { outcome, url } = await challenge(node);
    const waiting = { state: 'requires_action', code: null, providerReference: outcome.providerReference, amountAuthorized: 0, amountCaptured: 0, nextAction: { type: 'redirect_to_url', url } };
    expect(await node.status(address(), ctx())).toMatchObject(waiting);
    expect(await node.completeAction({ ...address(), returnData: {} }, ctx())).toMatchObject(waiting);
  });

  it('the first button completes the challenge: 303 back to the return URL (its query kept), then approved', async () => {
    const node = sim();
    const { outcome, url } = await challenge(node, { capture: true });
    const answer = await submitChallenge(url);
    expect(answer.status).toBe(303);
    const location = answer.headers.get('location') ?? '';
    expect(location.startsWith(RETURN_URL)).toBe(true);
    const returnData = Object.fromEntries(new URL(location).searchParams);
    expect(returnData).toEqual({ p: 'pay_1', sim_challenge: expect.any(String) });
    expect(url.endsWith(returnData.sim_challenge)).toBe(true);
    expect(location).not.toContain(CHALLENGE_APPROVED);

    const approved = { state: 'approved', code: null, providerReference: outcome.providerReference, amountAuthorized: 1000, amountCaptured: 1000, amountRefunded: 0, voided: false };
    expect(await node.completeAction({ ...address(), returnData }, ctx())).toEqual(approved);
    expect(await node.completeAction({ ...address(), returnData }, ctx())).toEqual(approved);
    expect(await node.status(address(), ctx())).toEqual(approved);
    expect(await node.authorize(authReq(CHALLENGE_APPROVED, { capture: true }), ctx())).toMatchObject({ outcome: 'approved', amountCaptured: 1000, providerReference: outcome.providerReference });
  });

  it('completing without capture leaves an authorization that captures, refunds and voids as any', async () => {
    const node = sim();
    const { url } = await challenge(node);
    await submitChallenge(url);
    expect(await node.completeAction({ ...address(), returnData: {} }, ctx())).toMatchObject({ state: 'approved', amountAuthorized: 1000, amountCaptured: 0 });
    const follow = { ...address(), currency: 'EUR' };
    expect(await node.capture({ ...follow, operationId: 'att_pay_1_1.capture', amount: 700 }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await node.refund({ ...follow, operationId: 're_1', amount: 200 }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await node.status(address(), ctx())).toMatchObject({ amountCaptured: 700, amountRefunded: 200 });

    const other = sim({}, {}, 'sim');
    await submitChallenge((await challenge(other)).url);
    expect(await other.void({ ...address(), operationId: 'v' }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await other.status(address(), ctx())).toMatchObject({ state: 'approved', voided: true });
  });

  it('the refused card: the first button completes the challenge, the issuer then declines authentication_failed', async () => {
    const node = sim();
    const { url } = await challenge(node, { capture: true }, CHALLENGE_REFUSED);
    const answer = await submitChallenge(url);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')?.startsWith(RETURN_URL)).toBe(true);
    const declined = { state: 'declined', code: 'authentication_failed', amountAuthorized: 0, amountCaptured: 0 };
    expect(await node.completeAction({ ...address(), returnData: {} }, ctx())).toMatchObject(declined);
    expect(await node.authorize(authReq(CHALLENGE_REFUSED), ctx())).toMatchObject({ outcome: 'declined', code: 'authentication_failed', retryable: false });
    expect(await node.capture({ ...address(), operationId: 'c', amount: 1000, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'failed' });
  });

  it('the second button fails the challenge of the approving card', async () => {
    const node = sim();
    const { url } = await challenge(node);
    expect((await submitChallenge(url, 1)).status).toBe(303);
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'declined', code: 'authentication_failed' });
  });

  it('a second submission sends the shopper back again and changes nothing', async () => {
    const node = sim();
    const { url } = await challenge(node);
    const first = await submitChallenge(url);
    const again = await fetch(url, { method: 'POST', body: new URLSearchParams({ result: 'fail' }), redirect: 'manual' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect((await node.status(address(), ctx())).state).toBe('approved');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('already answered');
  });

  it('a void while waiting cancels the challenge: declined authentication_abandoned, voided; the page says expired', async () => {
    const node = sim();
    const { url } = await challenge(node);
    expect(await node.void({ ...address(), operationId: 'att_pay_1_1.void' }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'declined', code: 'authentication_abandoned', amountAuthorized: 0, voided: true });
    const page = await fetch(url);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('expired');
    const post = await fetch(url, { method: 'POST', body: new URLSearchParams({ result: 'complete' }), redirect: 'manual' });
    expect(post.status).toBe(410);
    expect((await node.completeAction({ ...address(), returnData: {} }, ctx())).state).toBe('declined');
  });

  it('completeAction checks the path and goes through the faults like status', async () => {
    const node = sim();
    await challenge(node);
    expect(await node.completeAction({ ...address(), path: ['root', 'sim'], returnData: {} }, ctx())).toMatchObject({ state: 'unknown', code: 'processing_error' });
    node.faults.setFault({ mode: 'down' });
    expect(await node.completeAction({ ...address(), returnData: {} }, ctx())).toMatchObject({ state: 'unknown', code: 'provider_unavailable' });
  });

  it('completeAction of an attempt never seen is not_found', async () => {
    expect(await sim().completeAction({ ...address(), returnData: {} }, ctx())).toMatchObject({ state: 'not_found' });
  });
});

describe('simulator: notifications', () => {
  it('takes none: not_supported for its own id, unknown_node for another', async () => {
    const node = sim();
    expect(await node.parseNotification({ nodeId: 'sim', body: '{}', headers: {} }, ctx())).toEqual({
      ok: false,
      reason: 'not_supported',
      message: 'sim takes no provider notifications',
    });
    expect(await node.parseNotification({ nodeId: 'other', body: '{}', headers: {} }, ctx())).toMatchObject({ ok: false, reason: 'unknown_node' });
  });
});

function occupiedPort(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
