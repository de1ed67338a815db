import type { AttemptOutcome, UnifiedCode } from '#gateway-spi';

/**
 * THE table: every Adyen answer this leaf understands, and what it means in the unified interface.
 * `source` says where the key is read:
 * - `resultCode`: PaymentResponse.resultCode (`Refused` is resolved by the `refusal` rows);
 * - `refusal`: PaymentResponse.refusalReasonCode (the number) or refusalReason (the text), Adyen's
 *   documented refusal reasons (docs.adyen.com "Refusal reasons");
 * - `http`: the HTTP status of an Adyen error body (`ServiceError`), `errorCode` rows first;
 * - `transport`: what happened on the wire when no Adyen answer came back.
 * `retryable` is true only where the answer proves no money moved (another child may be tried).
 */
export interface CodeRow {
  source: 'resultCode' | 'refusal' | 'http' | 'errorCode' | 'transport';
  keys: readonly string[];
  outcome: AttemptOutcome;
  code: UnifiedCode | null;
  retryable: boolean;
  why: string;
}

const declined = (code: UnifiedCode) => ({ outcome: 'declined' as const, code, retryable: false });
const failed = (code: UnifiedCode) => ({ outcome: 'failed' as const, code, retryable: true });
const unknown = (code: UnifiedCode | null) => ({ outcome: 'unknown' as const, code, retryable: false });
const shopper = { outcome: 'requires_action' as const, code: null, retryable: false };

export const ADYEN_CODES: readonly CodeRow[] = [
  // resultCode
  { source: 'resultCode', keys: ['Authorised'], outcome: 'approved', code: null, retryable: false, why: 'authorised (captured too when captureDelayHours: 0)' },
  { source: 'resultCode', keys: ['RedirectShopper', 'ChallengeShopper', 'IdentifyShopper'], ...shopper, why: '3-D Secure: the shopper must authenticate first (a GET redirect; any other action, or no returnUrl, is declined authentication_required)' },
  { source: 'resultCode', keys: ['PresentToShopper'], ...declined('authentication_required'), why: 'a voucher or QR code for the shopper: not a card flow this leaf relays' },
  { source: 'resultCode', keys: ['Cancelled'], ...declined('card_declined'), why: 'cancelled before processing completed: final, nothing charged' },
  { source: 'resultCode', keys: ['Error'], ...failed('processing_error'), why: 'Adyen reports an error while processing: no authorisation was made' },
  { source: 'resultCode', keys: ['Pending', 'Received'], ...unknown(null), why: 'the final result comes by notification: the payment stays pending' },
  { source: 'resultCode', keys: ['PartiallyAuthorised', 'AuthenticationFinished', 'AuthenticationNotRequired', 'Success'], ...unknown(null), why: 'not a final card authorisation result this leaf asks for' },
  // refusal reasons (refusalReasonCode, refusalReason)
  { source: 'refusal', keys: ['2', 'Refused', '3', 'Referral', '5', 'Blocked Card', '25', 'Restricted Card', '27', 'Declined Non Generic', '15', 'Cancelled', '16', 'Shopper Cancelled', '23', 'Transaction Not Permitted', '7', 'Invalid Amount'], ...declined('card_declined'), why: 'the issuer or Adyen refused' },
  { source: 'refusal', keys: ['12', 'Not enough balance', '28', 'Withdrawal amount exceeded', '29', 'Withdrawal count exceeded'], ...declined('insufficient_funds'), why: 'not enough balance or limit' },
  { source: 'refusal', keys: ['6', 'Expired Card'], ...declined('expired_card'), why: 'expired card' },
  { source: 'refusal', keys: ['24', 'CVC Declined'], ...declined('incorrect_cvc'), why: 'wrong CVC' },
  { source: 'refusal', keys: ['8', 'Invalid Card Number'], ...declined('invalid_card_number'), why: 'invalid card number' },
  { source: 'refusal', keys: ['14', 'Acquirer Fraud', '20', 'FRAUD', '22', 'FRAUD-CANCELLED', '31', 'Issuer Suspected Fraud'], ...declined('suspected_fraud'), why: 'fraud suspected by Adyen, the acquirer or the issuer' },
  { source: 'refusal', keys: ['Stolen Card', 'Lost Card'], ...declined('stolen_card'), why: 'reported lost or stolen' },
  { source: 'refusal', keys: ['Do Not Honor', 'Do not honor'], ...declined('do_not_honor'), why: 'the issuer declined without a reason' },
  { source: 'refusal', keys: ['38', 'Authentication required'], ...declined('authentication_required'), why: 'the issuer wants 3-D Secure (strong customer authentication)' },
  { source: 'refusal', keys: ['11', '3D Not Authenticated', '42', '3DS Authentication Error'], ...declined('authentication_failed'), why: 'the 3-D Secure authentication was refused or failed' },
  { source: 'refusal', keys: ['9', 'Issuer Unavailable'], ...failed('issuer_unavailable'), why: 'the issuer could not be reached: nothing authorised, another route may reach it' },
  { source: 'refusal', keys: ['4', 'Acquirer Error', '21', 'Not Submitted'], ...failed('processing_error'), why: 'the acquirer failed before authorising' },
  // HTTP errors (ServiceError bodies). errorCode rows win over the status rows.
  { source: 'errorCode', keys: ['704'], ...unknown('provider_unavailable'), why: 'a request with this idempotency key is still in flight at Adyen: its result is not known yet' },
  { source: 'http', keys: ['401', '403'], ...failed('provider_unavailable'), why: 'API key refused or not allowed: the request was not processed' },
  { source: 'http', keys: ['400', '404', '422'], ...failed('processing_error'), why: 'validation refused the request before processing' },
  { source: 'http', keys: ['429'], ...failed('provider_unavailable'), why: 'rate limited before processing' },
  { source: 'http', keys: ['5xx'], ...unknown('provider_unavailable'), why: 'Adyen failed while processing: money may have moved, status settles it' },
  { source: 'http', keys: ['other'], ...unknown('provider_unavailable'), why: 'an answer this leaf does not know: money may have moved' },
  // transport
  { source: 'transport', keys: ['refused'], ...failed('provider_unavailable'), why: 'connection refused / host not found / TLS refused: nothing was sent' },
  { source: 'transport', keys: ['deadline-before-send'], ...failed('provider_timeout'), why: 'the deadline had passed before anything was sent' },
  { source: 'transport', keys: ['deadline'], ...unknown('provider_timeout'), why: 'sent, but no answer before the deadline: status settles it' },
  { source: 'transport', keys: ['reset'], ...unknown('provider_unavailable'), why: 'the connection broke after the request was sent' },
];

function row(source: CodeRow['source'], key: string): CodeRow | undefined {
  return ADYEN_CODES.find((candidate) => candidate.source === source && candidate.keys.includes(key));
}

/** The row for a PaymentResponse's resultCode (and refusal fields when Refused). */
export function paymentResultRow(resultCode: string | undefined, refusalReasonCode?: string, refusalReason?: string): CodeRow {
  if (resultCode === 'Refused') return refusalRow(refusalReasonCode, refusalReason);
  return row('resultCode', resultCode ?? '') ?? { source: 'resultCode', keys: [String(resultCode)], ...unknown(null), why: `resultCode ${resultCode} is not known to this leaf` };
}

/** A refusal, by reason text first (more specific: "Stolen Card" has no code of its own), then code; else card_declined. */
export function refusalRow(refusalReasonCode?: string, refusalReason?: string): CodeRow {
  const byReason = refusalReason ? row('refusal', refusalReason.trim()) : undefined;
  const byCode = refusalReasonCode ? row('refusal', refusalReasonCode.trim()) : undefined;
  return byReason ?? byCode ?? { source: 'refusal', keys: [String(refusalReason)], ...declined('card_declined'), why: 'a refusal reason this leaf does not know: declined' };
}

export function httpErrorRow(status: number, errorCode?: string): CodeRow {
  const byErrorCode = errorCode ? row('errorCode', errorCode) : undefined;
  if (byErrorCode) return byErrorCode;
  return row('http', String(status)) ?? row('http', status >= 500 ? '5xx' : 'other')!;
}

export function transportRow(kind: 'refused' | 'deadline-before-send' | 'deadline' | 'reset'): CodeRow {
  return row('transport', kind)!;
}
