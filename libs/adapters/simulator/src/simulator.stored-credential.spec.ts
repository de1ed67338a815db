import { attemptIdFor, contextWithTimeout, type AuthorizeRequest, type NodeContext, type StoredCredential } from '#gateway-spi';
import { afterEach, describe, expect, it } from 'vitest';
import { simulatorContractFixture } from './contract/simulator.contract-fixture.js';
import { SimulatorNode } from './simulator.node.js';
import { parseSimulatorOptions } from './simulator.options.js';
import { cardRequest } from '../test-support/card-request.js';
import { networkTransactionIdFor, storedCredentialProblem } from './stored-credential.js';

const APPROVED = '4242424242424242';
const DECLINED = '4000000000000002';
const LOST_REPLY = '4000000000000101';
const CHALLENGE_APPROVED = '4000000000003220';
const CHALLENGE_REFUSED = '4000008400001629';
const RETURN_URL = 'https://gateway.test/v1/payments/pay_1/return?p=pay_1';
const FIRST_ATTEMPT = attemptIdFor('pay_1', 1);

const ctx = (ms = 5000): NodeContext => contextWithTimeout(ms, { traceId: 'test' });

const nodes: SimulatorNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.close()));
});

function sim(): SimulatorNode {
  const node = new SimulatorNode('sim', parseSimulatorOptions({}).options);
  nodes.push(node);
  return node;
}

const authReq = (number: string, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest => cardRequest(number, over);

const first = (model: StoredCredential['model'] = 'unscheduled'): StoredCredential => ({ usage: 'first', model, networkTransactionId: null });
const subsequent = (networkTransactionId: string | null, model: StoredCredential['model'] = 'recurring'): StoredCredential => ({
  usage: 'subsequent',
  model,
  networkTransactionId,
});

/** A later payment of `pay_2`, merchant-initiated unless told otherwise. */
const mit = (number: string, storedCredential: StoredCredential | undefined, over: Partial<AuthorizeRequest> = {}) =>
  authReq(number, { paymentId: 'pay_2', attemptId: attemptIdFor('pay_2', 1), initiator: 'merchant', storedCredential, ...over });

const address = (attemptId = FIRST_ATTEMPT) => ({ path: ['sim'], attemptId, providerReference: null });

/** The shopper answers the challenge page with its first (complete) or second (fail) button. */
async function answerChallenge(pageUrl: string, result: 'complete' | 'fail'): Promise<void> {
  const answer = await fetch(pageUrl, { method: 'POST', body: new URLSearchParams({ result }), redirect: 'manual' });
  expect(answer.status).toBe(303);
}

describe('simulator stored credentials: the first (customer-initiated) payment', () => {
  it('approved, it answers an invented network transaction id and records what the request said', async () => {
    const node = sim();
    const outcome = await node.authorize(authReq(APPROVED, { initiator: 'customer', storedCredential: first('recurring'), capture: true }), ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', code: null, amountCaptured: 1000, networkTransactionId: expect.stringMatching(/^\d{15}$/) });
    expect(outcome.networkTransactionId).toBe(networkTransactionIdFor(FIRST_ATTEMPT));
    expect(node.storedCredentialOf(FIRST_ATTEMPT)).toEqual({
      initiator: 'customer',
      usage: 'first',
      model: 'recurring',
      sentNetworkTransactionId: null,
      networkTransactionId: outcome.networkTransactionId,
      mitExemption: false,
    });
  });

  it('an absent initiator is the customer', async () => {
    const node = sim();
    await node.authorize(authReq(APPROVED, { storedCredential: first() }), ctx());
    expect(node.storedCredentialOf(FIRST_ATTEMPT)).toMatchObject({ initiator: 'customer', usage: 'first', model: 'unscheduled' });
  });

  it('a replay of the attempt id answers the same network transaction id; another attempt id gets another', async () => {
    const node = sim();
    const once = await node.authorize(authReq(APPROVED, { storedCredential: first() }), ctx());
    const again = await node.authorize(authReq(APPROVED, { storedCredential: first() }), ctx());
    expect(again).toMatchObject({ outcome: 'approved', providerReference: once.providerReference, networkTransactionId: once.networkTransactionId });
    const other = await node.authorize(authReq(APPROVED, { attemptId: attemptIdFor('pay_1', 2), attemptSeq: 2, storedCredential: first() }), ctx());
    expect(other.networkTransactionId).toMatch(/^\d{15}$/);
    expect(other.networkTransactionId).not.toBe(once.networkTransactionId);
  });

  it('the id is stable for an attempt id across nodes (derived from it), so a restarted simulator answers the same', async () => {
    const a = await sim().authorize(authReq(APPROVED, { storedCredential: first() }), ctx());
    const b = await sim().authorize(authReq(APPROVED, { storedCredential: first() }), ctx());
    expect(a.networkTransactionId).toBe(b.networkTransactionId);
  });

  it('the lost-reply card charges it: the replay answers approved with the network transaction id', async () => {
    const node = sim();
    expect(await node.authorize(authReq(LOST_REPLY, { storedCredential: first() }), ctx(100))).toMatchObject({ outcome: 'unknown' });
    expect(await node.authorize(authReq(LOST_REPLY, { storedCredential: first() }), ctx())).toMatchObject({
      outcome: 'approved',
      networkTransactionId: networkTransactionIdFor(FIRST_ATTEMPT),
    });
  });

  it('a one-off payment answers no network transaction id and records no stored credential', async () => {
    const node = sim();
    const outcome = await node.authorize(authReq(APPROVED), ctx());
    expect(outcome.outcome).toBe('approved');
    expect(outcome).not.toHaveProperty('networkTransactionId');
    expect(node.storedCredentialOf(FIRST_ATTEMPT)).toBeNull();
    expect(node.storedCredentialOf('att_unknown')).toBeNull();
  });

  it('a declined one answers no network transaction id (nothing to store the card on)', async () => {
    const node = sim();
    const outcome = await node.authorize(authReq(DECLINED, { storedCredential: first() }), ctx());
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'card_declined' });
    expect(outcome).not.toHaveProperty('networkTransactionId');
    expect(node.storedCredentialOf(FIRST_ATTEMPT)).toMatchObject({ usage: 'first', networkTransactionId: null });
  });

  it('with a 3-D Secure card the shopper is asked first; once they pass, the replay answers the network transaction id', async () => {
    const node = sim();
    const asked = await node.authorize(authReq(CHALLENGE_APPROVED, { storedCredential: first(), returnUrl: RETURN_URL }), ctx());
    expect(asked.outcome).toBe('requires_action');
    expect(asked).not.toHaveProperty('networkTransactionId');
    expect(node.storedCredentialOf(FIRST_ATTEMPT)?.networkTransactionId).toBeNull();
    await answerChallenge(asked.nextAction?.url ?? '', 'complete');
    expect(await node.completeAction({ ...address(), returnData: {} }, ctx())).toMatchObject({ state: 'approved' });
    const replay = await node.authorize(authReq(CHALLENGE_APPROVED, { storedCredential: first(), returnUrl: RETURN_URL }), ctx());
    expect(replay).toMatchObject({ outcome: 'approved', networkTransactionId: networkTransactionIdFor(FIRST_ATTEMPT) });
    expect(node.storedCredentialOf(FIRST_ATTEMPT)).toMatchObject({ networkTransactionId: replay.networkTransactionId, mitExemption: false });
  });

  it('never records the card number', async () => {
    const node = sim();
    await node.authorize(authReq(APPROVED, { storedCredential: first() }), ctx());
    expect(JSON.stringify(node.storedCredentialOf(FIRST_ATTEMPT))).not.toContain(APPROVED);
  });
});

describe('simulator stored credentials: subsequent payments', () => {
  it('a merchant-initiated one with a network transaction id is approved and echoes a new id', async () => {
    const node = sim();
    const sent = networkTransactionIdFor(FIRST_ATTEMPT);
    const outcome = await node.authorize(mit(APPROVED, subsequent(sent), { capture: true }), ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', amountCaptured: 1000, networkTransactionId: expect.stringMatching(/^\d{15}$/) });
    expect(outcome.networkTransactionId).not.toBe(sent);
    expect(node.storedCredentialOf(attemptIdFor('pay_2', 1))).toEqual({
      initiator: 'merchant',
      usage: 'subsequent',
      model: 'recurring',
      sentNetworkTransactionId: sent,
      networkTransactionId: outcome.networkTransactionId,
      mitExemption: false,
    });
  });

  it.each([CHALLENGE_APPROVED, CHALLENGE_REFUSED])(
    'MIT exemption: 3-D Secure card %s with a network transaction id is approved frictionless, the shopper never asked',
    async (number) => {
      const node = sim();
      const outcome = await node.authorize(mit(number, subsequent('123456789012345', 'unscheduled'), { returnUrl: RETURN_URL, capture: true }), ctx());
      expect(outcome).toMatchObject({ outcome: 'approved', code: null, amountCaptured: 1000, networkTransactionId: expect.stringMatching(/^\d{15}$/) });
      expect(outcome.nextAction).toBeUndefined();
      expect(await node.status(address(attemptIdFor('pay_2', 1)), ctx())).toMatchObject({ state: 'approved', amountAuthorized: 1000, amountCaptured: 1000 });
      expect(node.storedCredentialOf(attemptIdFor('pay_2', 1))).toMatchObject({ initiator: 'merchant', sentNetworkTransactionId: '123456789012345', mitExemption: true });
    },
  );

  it('MIT exemption authorizes only, when not asked to capture; the authorization can then be captured', async () => {
    const node = sim();
    const outcome = await node.authorize(mit(CHALLENGE_APPROVED, subsequent('123456789012345')), ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', amountCaptured: 0 });
    const captured = await node.capture({ ...address(attemptIdFor('pay_2', 1)), operationId: 'op_1', amount: 1000, currency: 'EUR' }, ctx());
    expect(captured.outcome).toBe('succeeded');
  });

  it.each([
    ['no network transaction id', subsequent(null)],
    ['no stored credential', undefined],
    ['a first-usage credential', first()],
  ])('a merchant-initiated payment with a 3-D Secure card and %s declines authentication_required, even with a return URL', async (_what, credential) => {
    const node = sim();
    const outcome = await node.authorize(mit(CHALLENGE_APPROVED, credential, { returnUrl: RETURN_URL, capture: true }), ctx());
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false, amountCaptured: 0 });
    expect(outcome.message).toMatch(/merchant-initiated/);
    expect(outcome.nextAction).toBeUndefined();
    expect(outcome).not.toHaveProperty('networkTransactionId');
    expect(await node.status(address(attemptIdFor('pay_2', 1)), ctx())).toMatchObject({ state: 'declined', code: 'authentication_required', amountAuthorized: 0 });
    const replay = await node.authorize(mit(CHALLENGE_APPROVED, credential, { returnUrl: RETURN_URL, capture: true }), ctx());
    expect(replay).toMatchObject({ outcome: 'declined', code: 'authentication_required', message: outcome.message });
  });

  it('a merchant-initiated payment with a card that needs no authentication is approved even without a network transaction id', async () => {
    const node = sim();
    const outcome = await node.authorize(mit(APPROVED, subsequent(null)), ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', networkTransactionId: expect.stringMatching(/^\d{15}$/) });
    expect(node.storedCredentialOf(attemptIdFor('pay_2', 1))).toMatchObject({ sentNetworkTransactionId: null, mitExemption: false });
  });

  it('a merchant-initiated payment is still declined by the issuer as any other: no id answered', async () => {
    const outcome = await sim().authorize(mit(DECLINED, subsequent('123456789012345')), ctx());
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'card_declined' });
    expect(outcome).not.toHaveProperty('networkTransactionId');
  });

  it('a customer-initiated subsequent payment (shopper present) may still be challenged', async () => {
    const node = sim();
    const outcome = await node.authorize(mit(CHALLENGE_APPROVED, subsequent('123456789012345'), { initiator: 'customer', returnUrl: RETURN_URL }), ctx());
    expect(outcome.outcome).toBe('requires_action');
    await answerChallenge(outcome.nextAction?.url ?? '', 'complete');
    expect(node.storedCredentialOf(attemptIdFor('pay_2', 1))).toMatchObject({
      initiator: 'customer',
      usage: 'subsequent',
      networkTransactionId: networkTransactionIdFor(attemptIdFor('pay_2', 1)),
      mitExemption: false,
    });
  });
});

describe('simulator stored credentials: malformed requests and replays', () => {
  it.each([
    [{ initiator: 'robot' }, /initiator/],
    [{ storedCredential: { usage: 'later', model: 'recurring', networkTransactionId: null } }, /usage/],
    [{ storedCredential: { usage: 'first', model: 'weekly', networkTransactionId: null } }, /model/],
    [{ storedCredential: { usage: 'subsequent', model: 'recurring', networkTransactionId: ' ' } }, /networkTransactionId/],
    [{ storedCredential: { usage: 'subsequent', model: 'recurring', networkTransactionId: 42 } }, /networkTransactionId/],
  ])('%o is refused before anything is charged', async (over, message) => {
    const node = sim();
    const outcome = await node.authorize(authReq(APPROVED, over as Partial<AuthorizeRequest>), ctx());
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'processing_error', retryable: true, message: expect.stringMatching(message) });
    expect((await node.status(address(), ctx())).state).toBe('not_found');
  });

  it('accepts well-formed ones', () => {
    expect(storedCredentialProblem({})).toBeNull();
    expect(storedCredentialProblem({ initiator: 'merchant', storedCredential: subsequent('1') })).toBeNull();
    expect(storedCredentialProblem({ initiator: 'customer', storedCredential: first() })).toBeNull();
  });

  it.each([
    ['another initiator', { initiator: 'merchant' as const, storedCredential: first() }],
    ['another usage', { storedCredential: subsequent(null) }],
    ['another model', { storedCredential: first('recurring') }],
    ['no stored credential', { storedCredential: undefined }],
  ])('a replay of the attempt id with %s is refused and charges nothing more', async (_what, over) => {
    const node = sim();
    const once = await node.authorize(authReq(APPROVED, { storedCredential: first(), capture: true }), ctx());
    const replay = await node.authorize({ ...authReq(APPROVED, { storedCredential: first(), capture: true }), ...over }, ctx());
    expect(replay).toMatchObject({ outcome: 'failed', code: 'processing_error', retryable: false, message: expect.stringMatching(/stored credential/) });
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'approved', providerReference: once.providerReference, amountCaptured: 1000 });
  });

  it('a replay adding a stored credential to a one-off payment is refused too', async () => {
    const node = sim();
    await node.authorize(authReq(APPROVED), ctx());
    expect(await node.authorize(authReq(APPROVED, { storedCredential: first() }), ctx())).toMatchObject({ outcome: 'failed', retryable: false });
  });
});

describe('simulator stored credentials: contract fixture', () => {
  it('does not declare stored credentials unsupported', () => {
    expect(simulatorContractFixture.unsupported ?? []).not.toContain('stored_credentials');
  });
});
