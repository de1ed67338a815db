import { describe, expect, it } from 'vitest';
import { isAuthorizeOutcome, isNotificationAnswer, isOperationOutcome, isStatusOutcome } from './reply-shapes.js';

const authorize = { outcome: 'requires_action', code: null, message: null, retryable: false, providerReference: 'p', path: ['a'], amountCaptured: 0, attempts: [{ attemptId: 'att_x_1', path: ['a'] }] };
const status = { state: 'requires_action', code: null, providerReference: 'p', amountAuthorized: 0, amountCaptured: 0, amountRefunded: 0, voided: false };
const fact = { eventId: 'ev_1', kind: 'captured', attemptId: 'att_x_1', operationId: 'att_x_1.capture', providerReference: 'p', amount: 100, currency: 'EUR', code: null, message: null };
const reply = { status: 200, contentType: 'text/plain', body: '[accepted]' };
const redirect = { type: 'redirect_to_url', url: 'https://acs.test/c' };

describe('reply shapes: what a node-host may answer', () => {
  it('accepts requires_action with or without a next action, and refuses a next action of another shape', () => {
    expect(isAuthorizeOutcome(authorize)).toBe(true);
    expect(isAuthorizeOutcome({ ...authorize, nextAction: redirect })).toBe(true);
    expect(isAuthorizeOutcome({ ...authorize, nextAction: null })).toBe(true);
    expect(isAuthorizeOutcome({ ...authorize, nextAction: { type: 'popup', url: 'x' } })).toBe(false);
    expect(isAuthorizeOutcome({ ...authorize, outcome: 'maybe' })).toBe(false);
    expect(isStatusOutcome(status)).toBe(true);
    expect(isStatusOutcome({ ...status, nextAction: redirect })).toBe(true);
    expect(isStatusOutcome({ ...status, nextAction: { type: 'redirect_to_url' } })).toBe(false);
    expect(isStatusOutcome({ ...status, state: 'waiting' })).toBe(false);
  });

  it('accepts a network transaction id that is a string or null, or none at all, and refuses one of another shape', () => {
    const approved = { ...authorize, outcome: 'approved' };
    expect(isAuthorizeOutcome(approved)).toBe(true);
    expect(isAuthorizeOutcome({ ...approved, networkTransactionId: 'ntid_1' })).toBe(true);
    expect(isAuthorizeOutcome({ ...approved, networkTransactionId: null })).toBe(true);
    expect(isAuthorizeOutcome({ ...approved, networkTransactionId: 42 })).toBe(false);
    expect(isAuthorizeOutcome({ ...approved, networkTransactionId: { id: 'ntid_1' } })).toBe(false);
  });

  it('accepts pending operations', () => {
    expect(isOperationOutcome({ outcome: 'pending', code: null, message: null, providerReference: 'p' })).toBe(true);
    expect(isOperationOutcome({ outcome: 'later', code: null, message: null, providerReference: 'p' })).toBe(false);
  });

  it('accepts notification answers: facts with a reply, or a typed refusal', () => {
    expect(isNotificationAnswer({ ok: true, facts: [fact, { ...fact, eventId: 'ev_2', kind: 'authorized', captured: true, amount: null, currency: null }], reply })).toBe(true);
    expect(isNotificationAnswer({ ok: true, facts: [], reply })).toBe(true);
    expect(isNotificationAnswer({ ok: false, reason: 'bad_signature', message: 'no' })).toBe(true);
  });

  it.each([
    ['a fact of an unknown kind', { ok: true, facts: [{ ...fact, kind: 'exploded' }], reply }],
    ['a fact without an event id', { ok: true, facts: [{ ...fact, eventId: undefined }], reply }],
    ['a fractional amount', { ok: true, facts: [{ ...fact, amount: 1.5 }], reply }],
    ['facts that are not a list', { ok: true, facts: fact, reply }],
    ['no reply', { ok: true, facts: [] }],
    ['a reply without a body', { ok: true, facts: [], reply: { status: 200, contentType: 'text/plain' } }],
    ['an unknown refusal', { ok: false, reason: 'tired', message: 'x' }],
    ['a refusal without a message', { ok: false, reason: 'malformed' }],
    ['no ok at all', { facts: [], reply }],
  ])('refuses %s', (_what, answer) => {
    expect(isNotificationAnswer(answer)).toBe(false);
  });
});
