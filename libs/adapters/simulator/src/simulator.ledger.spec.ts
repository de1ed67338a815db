import { describe, expect, it } from 'vitest';
import { SimulatorLedger, type NewCharge } from './simulator.ledger.js';

const RETURN_URL = 'https://gateway.test/v1/payments/pay_1/return?k=1';

function challenged(over: { issuerRefuses?: boolean; capture?: boolean } = {}) {
  let seq = 0;
  const ledger = new SimulatorLedger((prefix) => `${prefix}_${++seq}`);
  const charge: NewCharge = {
    attemptId: 'att_1_1',
    paymentId: 'pay_1',
    amount: 1000,
    currency: 'EUR',
    state: 'requires_action',
    code: null,
    amountCaptured: 0,
    challenge: { token: 'tok_1', pageUrl: 'http://127.0.0.1:1/challenges/tok_1', returnUrl: RETURN_URL, issuerRefuses: false, capture: false, ...over },
  };
  const record = ledger.recordCharge(charge);
  return { ledger, record };
}

const address = { attemptId: 'att_1_1', providerReference: null, path: ['sim'] };

describe('simulator ledger: 3-D Secure challenges', () => {
  it('records a waiting challenge: status requires_action with the page as next action, nothing authorized', () => {
    const { ledger, record } = challenged();
    expect(record).toMatchObject({ state: 'requires_action', providerReference: 'simch_1', challenge: { state: 'waiting', token: 'tok_1' } });
    expect(ledger.status('att_1_1')).toEqual({
      state: 'requires_action',
      code: null,
      providerReference: 'simch_1',
      amountAuthorized: 0,
      amountCaptured: 0,
      amountRefunded: 0,
      voided: false,
      nextAction: { type: 'redirect_to_url', url: 'http://127.0.0.1:1/challenges/tok_1' },
    });
    expect(ledger.findChallenge('tok_1')).toEqual({
      token: 'tok_1',
      state: 'waiting',
      pageUrl: 'http://127.0.0.1:1/challenges/tok_1',
      returnUrl: RETURN_URL,
      amount: 1000,
      currency: 'EUR',
    });
    expect(ledger.findChallenge('tok_2')).toBeNull();
  });

  it('refuses capture and refund while the shopper has not answered', () => {
    const { ledger } = challenged();
    expect(ledger.capture({ ...address, operationId: 'att_1_1.capture', amount: 1000, currency: 'EUR' })).toMatchObject({
      outcome: 'failed',
      message: expect.stringContaining('waits for the shopper'),
    });
    expect(ledger.refund({ ...address, operationId: 're_1', amount: 1, currency: 'EUR' })).toMatchObject({ outcome: 'failed' });
  });

  it('a passed challenge approves; a second answer changes nothing', () => {
    const { ledger } = challenged();
    expect(ledger.answerChallenge('tok_1', true)).toMatchObject({ state: 'passed', returnUrl: RETURN_URL });
    expect(ledger.status('att_1_1')).toEqual({
      state: 'approved',
      code: null,
      providerReference: 'simch_1',
      amountAuthorized: 1000,
      amountCaptured: 0,
      amountRefunded: 0,
      voided: false,
    });
    expect(ledger.answerChallenge('tok_1', false)).toMatchObject({ state: 'passed' });
    expect(ledger.status('att_1_1').state).toBe('approved');
  });

  it('captures on the pass when the authorize request asked to capture; refunds then work', () => {
    const { ledger } = challenged({ capture: true });
    ledger.answerChallenge('tok_1', true);
    expect(ledger.status('att_1_1')).toMatchObject({ state: 'approved', amountAuthorized: 1000, amountCaptured: 1000 });
    expect(ledger.refund({ ...address, operationId: 're_1', amount: 400, currency: 'EUR' })).toMatchObject({ outcome: 'succeeded' });
  });

  it('a failed challenge, or an issuer that refuses after a completed one, declines authentication_failed', () => {
    const failed = challenged();
    expect(failed.ledger.answerChallenge('tok_1', false)).toMatchObject({ state: 'refused' });
    expect(failed.ledger.status('att_1_1')).toMatchObject({ state: 'declined', code: 'authentication_failed', amountAuthorized: 0 });

    const refusing = challenged({ issuerRefuses: true, capture: true });
    expect(refusing.ledger.answerChallenge('tok_1', true)).toMatchObject({ state: 'refused' });
    expect(refusing.ledger.status('att_1_1')).toMatchObject({ state: 'declined', code: 'authentication_failed', amountCaptured: 0 });
    expect(refusing.ledger.capture({ ...address, operationId: 'c', amount: 1, currency: 'EUR' })).toMatchObject({ outcome: 'failed' });
  });

  it('a void while waiting cancels the challenge: declined authentication_abandoned, voided, the page expired', () => {
    const { ledger } = challenged();
    expect(ledger.void({ ...address, operationId: 'att_1_1.void' })).toEqual({ outcome: 'succeeded', code: null, message: null, providerReference: 'simch_1' });
    expect(ledger.status('att_1_1')).toMatchObject({ state: 'declined', code: 'authentication_abandoned', amountAuthorized: 0, voided: true });
    expect(ledger.status('att_1_1').nextAction).toBeUndefined();
    expect(ledger.findChallenge('tok_1')).toMatchObject({ state: 'expired' });
    expect(ledger.answerChallenge('tok_1', true)).toMatchObject({ state: 'expired' });
    expect(ledger.status('att_1_1').state).toBe('declined');
    expect(ledger.void({ ...address, operationId: 'att_1_1.void' })).toMatchObject({ outcome: 'succeeded' });
    expect(ledger.void({ ...address, operationId: 'other' })).toMatchObject({ outcome: 'failed' });
  });

  it('a void names the wrong provider reference and changes nothing', () => {
    const { ledger } = challenged();
    expect(ledger.void({ ...address, providerReference: 'simch_x', operationId: 'v' })).toMatchObject({ outcome: 'failed', message: expect.stringContaining('simch_x') });
    expect(ledger.findChallenge('tok_1')?.state).toBe('waiting');
  });

  it('hands out copies: changing a found charge changes nothing', () => {
    const { ledger } = challenged();
    const found = ledger.findCharge('att_1_1');
    if (found?.challenge) found.challenge.state = 'passed';
    expect(ledger.findChallenge('tok_1')?.state).toBe('waiting');
  });
});

describe('simulator ledger: stored credentials', () => {
  const credential = {
    initiator: 'merchant' as const,
    usage: 'subsequent' as const,
    model: 'recurring' as const,
    sentNetworkTransactionId: '123456789012345',
    networkTransactionId: '000000000000042',
    mitExemption: false,
  };

  function charged(state: NewCharge['state'], over: Partial<NewCharge> = {}) {
    const ledger = new SimulatorLedger((prefix) => `${prefix}_1`);
    const record = ledger.recordCharge({ attemptId: 'att_1_1', paymentId: 'pay_1', amount: 1000, currency: 'EUR', state, code: null, amountCaptured: 0, ...over });
    return { ledger, record };
  }

  it('a charge without them is customer-initiated and stores nothing', () => {
    const { ledger, record } = charged('approved');
    expect(record).toMatchObject({ initiator: 'customer', storedCredential: null });
    expect(ledger.storedCredentialOf('att_1_1')).toBeNull();
  });

  it('shows what the request said, and the answered id only once approved', () => {
    expect(charged('approved', { initiator: 'merchant', storedCredential: credential }).ledger.storedCredentialOf('att_1_1')).toEqual(credential);
    expect(charged('declined', { initiator: 'merchant', storedCredential: credential, code: 'card_declined' }).ledger.storedCredentialOf('att_1_1')).toEqual({
      ...credential,
      networkTransactionId: null,
    });
  });

  it('hands out copies: changing a found stored credential changes nothing', () => {
    const { ledger } = charged('approved', { storedCredential: credential });
    const found = ledger.findCharge('att_1_1');
    if (found?.storedCredential) found.storedCredential.networkTransactionId = 'changed';
    const shown = ledger.storedCredentialOf('att_1_1');
    if (shown) shown.usage = 'first';
    expect(ledger.storedCredentialOf('att_1_1')).toEqual(credential);
  });
});
