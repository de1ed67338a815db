import { HARD_DECLINE_CODES, UNIFIED_CODES } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { ADYEN_CODES, httpErrorRow, paymentResultRow, refusalRow, transportRow } from './adyen.codes.js';

/** What each key of the table must mean: one expectation per key, so a changed row fails here. */
const EXPECTED: Array<[source: string, key: string, outcome: string, code: string | null, retryable: boolean]> = [
  ['resultCode', 'Authorised', 'approved', null, false],
  ['resultCode', 'RedirectShopper', 'requires_action', null, false],
  ['resultCode', 'ChallengeShopper', 'requires_action', null, false],
  ['resultCode', 'IdentifyShopper', 'requires_action', null, false],
  ['resultCode', 'PresentToShopper', 'declined', 'authentication_required', false],
  ['resultCode', 'Cancelled', 'declined', 'card_declined', false],
  ['resultCode', 'Error', 'failed', 'processing_error', true],
  ['resultCode', 'Pending', 'unknown', null, false],
  ['resultCode', 'Received', 'unknown', null, false],
  ['resultCode', 'PartiallyAuthorised', 'unknown', null, false],
  ['resultCode', 'AuthenticationFinished', 'unknown', null, false],
  ['resultCode', 'AuthenticationNotRequired', 'unknown', null, false],
  ['resultCode', 'Success', 'unknown', null, false],
  ...(['2', 'Refused', '3', 'Referral', '5', 'Blocked Card', '25', 'Restricted Card', '27', 'Declined Non Generic', '15', 'Cancelled', '16', 'Shopper Cancelled', '23', 'Transaction Not Permitted', '7', 'Invalid Amount'].map((k) => ['refusal', k, 'declined', 'card_declined', false]) as never[]),
  ...(['12', 'Not enough balance', '28', 'Withdrawal amount exceeded', '29', 'Withdrawal count exceeded'].map((k) => ['refusal', k, 'declined', 'insufficient_funds', false]) as never[]),
  ['refusal', '6', 'declined', 'expired_card', false],
  ['refusal', 'Expired Card', 'declined', 'expired_card', false],
  ['refusal', '24', 'declined', 'incorrect_cvc', false],
  ['refusal', 'CVC Declined', 'declined', 'incorrect_cvc', false],
  ['refusal', '8', 'declined', 'invalid_card_number', false],
  ['refusal', 'Invalid Card Number', 'declined', 'invalid_card_number', false],
  ...(['14', 'Acquirer Fraud', '20', 'FRAUD', '22', 'FRAUD-CANCELLED', '31', 'Issuer Suspected Fraud'].map((k) => ['refusal', k, 'declined', 'suspected_fraud', false]) as never[]),
  ['refusal', 'Stolen Card', 'declined', 'stolen_card', false],
  ['refusal', 'Lost Card', 'declined', 'stolen_card', false],
  ['refusal', 'Do Not Honor', 'declined', 'do_not_honor', false],
  ['refusal', 'Do not honor', 'declined', 'do_not_honor', false],
  ...(['38', 'Authentication required'].map((k) => ['refusal', k, 'declined', 'authentication_required', false]) as never[]),
  ...(['11', '3D Not Authenticated', '42', '3DS Authentication Error'].map((k) => ['refusal', k, 'declined', 'authentication_failed', false]) as never[]),
  ['refusal', '9', 'failed', 'issuer_unavailable', true],
  ['refusal', 'Issuer Unavailable', 'failed', 'issuer_unavailable', true],
  ...(['4', 'Acquirer Error', '21', 'Not Submitted'].map((k) => ['refusal', k, 'failed', 'processing_error', true]) as never[]),
  ['errorCode', '704', 'unknown', 'provider_unavailable', false],
  ['http', '401', 'failed', 'provider_unavailable', true],
  ['http', '403', 'failed', 'provider_unavailable', true],
  ['http', '400', 'failed', 'processing_error', true],
  ['http', '404', 'failed', 'processing_error', true],
  ['http', '422', 'failed', 'processing_error', true],
  ['http', '429', 'failed', 'provider_unavailable', true],
  ['http', '5xx', 'unknown', 'provider_unavailable', false],
  ['http', 'other', 'unknown', 'provider_unavailable', false],
  ['transport', 'refused', 'failed', 'provider_unavailable', true],
  ['transport', 'deadline-before-send', 'failed', 'provider_timeout', true],
  ['transport', 'deadline', 'unknown', 'provider_timeout', false],
  ['transport', 'reset', 'unknown', 'provider_unavailable', false],
];

describe('adyen codes table', () => {
  it('has an expectation for every key of every row, and no expectation without a row', () => {
    const keys = ADYEN_CODES.flatMap((row) => row.keys.map((key) => `${row.source} ${key}`)).sort();
    expect(EXPECTED.map(([source, key]) => `${source} ${key}`).sort()).toEqual(keys);
  });

  it.each(EXPECTED)('%s %s → %s %s (retryable %s)', (source, key, outcome, code, retryable) => {
    const row = ADYEN_CODES.find((candidate) => candidate.source === source && candidate.keys.includes(key));
    expect(row).toMatchObject({ outcome, code, retryable });
  });

  it('uses unified codes only; declines are hard codes, retryable only where nothing moved (failed)', () => {
    for (const row of ADYEN_CODES) {
      if (row.code !== null) expect(UNIFIED_CODES).toContain(row.code);
      if (row.outcome === 'declined') expect(HARD_DECLINE_CODES.has(row.code!)).toBe(true);
      expect(row.retryable).toBe(row.outcome === 'failed');
    }
  });

  it('resolves Refused by reason text before code, and an unknown refusal as card_declined', () => {
    expect(paymentResultRow('Refused', '2', 'Stolen Card').code).toBe('stolen_card');
    expect(paymentResultRow('Refused', '12', undefined).code).toBe('insufficient_funds');
    expect(refusalRow('99', 'Something new')).toMatchObject({ outcome: 'declined', code: 'card_declined' });
    expect(paymentResultRow('SomethingElse')).toMatchObject({ outcome: 'unknown', code: null });
  });

  it('looks HTTP errors up by errorCode first, then status, 5xx and others unknown', () => {
    expect(httpErrorRow(422, '704').outcome).toBe('unknown');
    expect(httpErrorRow(422, '129').outcome).toBe('failed');
    expect(httpErrorRow(503).outcome).toBe('unknown');
    expect(httpErrorRow(409).outcome).toBe('unknown');
    expect(transportRow('refused').retryable).toBe(true);
  });
});
