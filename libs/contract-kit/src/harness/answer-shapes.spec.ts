import type { AuthorizeOutcome, NotificationAnswer, NotificationFact, OperationOutcome, StatusOutcome } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { authorizeShape, notificationShape, operationShape, statusShape } from './answer-shapes.js';

const waiting: AuthorizeOutcome = {
  outcome: 'requires_action',
  code: null,
  message: null,
  retryable: false,
  providerReference: 'ref_1',
  path: ['leaf'],
  amountCaptured: 0,
  attempts: [{ attemptId: 'att_1_1', attemptSeq: 1, path: ['leaf'], outcome: 'requires_action', code: null, reason: 'leaf', latencyMs: 1, providerReference: 'ref_1' }],
  nextAction: { type: 'redirect_to_url', url: 'https://pay.example/challenge/1' },
};

const status: StatusOutcome = { state: 'approved', code: null, providerReference: 'ref_1', amountAuthorized: 1000, amountCaptured: 0, amountRefunded: 0, voided: false };

const fact: NotificationFact = {
  eventId: 'evt_1',
  kind: 'captured',
  attemptId: 'att_1_1',
  operationId: 'att_1_1.capture',
  providerReference: 'ref_1',
  amount: 1000,
  currency: 'EUR',
  code: null,
  message: null,
};
const parsed: NotificationAnswer = { ok: true, facts: [fact], reply: { status: 200, contentType: 'text/plain', body: '[accepted]' } };

describe('answer shapes of the asynchronous half', () => {
  it('requires_action: a redirect to an absolute http(s) URL and a provider reference, nothing captured, not retryable', () => {
    expect(authorizeShape('a', waiting)).toEqual([]);
    expect(authorizeShape('a', { ...waiting, nextAction: { type: 'redirect_to_url', url: '/challenge/1' }, providerReference: null })).toEqual([
      'a: a requires_action outcome carries no provider reference: completeAction needs it',
      "a: nextAction.url '/challenge/1' is not an absolute http(s) URL",
    ]);
    expect(authorizeShape('a', { ...waiting, nextAction: null, retryable: true, code: 'authentication_required' })).toEqual([
      "a: a requires_action answer carries code 'authentication_required' instead of null",
      'a: a requires_action outcome claims to be retryable: only a failure that proves no money moved is',
      "a: nextAction null is not { type: 'redirect_to_url', url }",
      'a: nextAction.url undefined is not an absolute http(s) URL',
    ]);
    expect(authorizeShape('a', { ...waiting, outcome: 'approved', attempts: [] })).toEqual([
      "a: nextAction { type: 'redirect_to_url', url: 'https://pay.example/challenge/1' } is set, but the answer does not wait for the shopper",
    ]);
  });

  it("a network transaction id is a non-empty string or null, when there is one", () => {
    const approved: AuthorizeOutcome = { ...waiting, outcome: 'approved', nextAction: undefined };
    expect(authorizeShape('a', approved)).toEqual([]);
    expect(authorizeShape('a', { ...approved, networkTransactionId: 'ntid_1' })).toEqual([]);
    expect(authorizeShape('a', { ...approved, networkTransactionId: null })).toEqual([]);
    expect(authorizeShape('a', { ...approved, networkTransactionId: '' })).toEqual(["a: networkTransactionId '' is neither a non-empty string nor null"]);
    expect(authorizeShape('a', { ...approved, networkTransactionId: 42 as unknown as string })).toEqual(['a: networkTransactionId 42 is neither a non-empty string nor null']);
  });

  it('status requires_action: no money, a next action when the node knows it', () => {
    expect(statusShape('s', { ...status, state: 'requires_action', amountAuthorized: 0 })).toEqual([]);
    expect(statusShape('s', { ...status, state: 'requires_action', nextAction: { type: 'redirect_to_url', url: 'ftp://x/y' } })).toEqual([
      's: an attempt that waits for the shopper (requires_action) reports money moved or a void',
      "s: nextAction.url 'ftp://x/y' is not an absolute http(s) URL",
    ]);
  });

  it('pending operations carry no code', () => {
    const pending: OperationOutcome = { outcome: 'pending', code: null, message: 'confirmed later', providerReference: 'mod_1' };
    expect(operationShape('o', pending)).toEqual([]);
    expect(operationShape('o', { ...pending, code: 'processing_error' })).toEqual(["o: a pending answer carries code 'processing_error' instead of null"]);
  });

  it('notification answers: facts with unique event ids, amounts with currencies, a 2xx reply; refusals with a known reason', () => {
    expect(notificationShape('n', parsed)).toEqual([]);
    expect(notificationShape('n', { ...parsed, facts: [fact, { ...fact, currency: null, kind: 'settled' as NotificationFact['kind'] }], reply: { status: 500, contentType: '', body: '' } })).toEqual([
      "n: facts share event ids [ 'evt_1', 'evt_1' ]: the root applies one fact per event id",
      'n: reply.status 500 is not a 2xx status: the provider would send the message again',
      "n: reply.contentType '' is not a non-empty string",
      `n: facts[1]: kind 'settled' is not one of authorized, authorization_failed, captured, capture_failed, cancelled, cancel_failed, refunded, refund_failed, dispute_opened`,
      'n: facts[1]: amount and currency come together (both set or both null)',
    ]);
    expect(notificationShape('n', { ok: false, reason: 'unknown_node', message: 'no node x' })).toEqual([]);
    expect(notificationShape('n', { ok: false, reason: 'nope' as 'malformed', message: '' })).toEqual([
      "n: reason 'nope' is not one of bad_signature, malformed, not_supported, unknown_node, unreachable",
      'n: a refusal has no message',
    ]);
  });
});
