/** Unified codes: every node translates its provider's errors into one of these. */
export const UNIFIED_CODES = [
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'incorrect_cvc',
  'invalid_card_number',
  /** The issuer wants the shopper to authenticate (3-D Secure); never failed over: money may move once they do. */
  'authentication_required',
  /** The shopper did not pass the issuer's authentication (3-D Secure challenge refused or failed). */
  'authentication_failed',
  /** The shopper never completed the authentication; the root gave the payment up after its expiry. */
  'authentication_abandoned',
  'suspected_fraud',
  /** Reported lost or stolen. */
  'stolen_card',
  /** The issuer declined without saying why, in the words of the schemes' "do not honor". */
  'do_not_honor',
  /** The issuer asks to retry later (a soft decline). */
  'try_again_later',
  /** The issuer could not be reached (the schemes' "issuer or switch inoperative"): a soft decline. */
  'issuer_unavailable',
  'processing_error',
  'provider_unavailable',
  'provider_timeout',
  'currency_not_supported',
  'no_route',
  /** The node does not offer the operation (`notSupported`): it did nothing. */
  'operation_not_supported',
] as const;

export type UnifiedCode = (typeof UNIFIED_CODES)[number];

/** Hard declines: the card holder's bank said no; trying another provider would not change that. */
export const HARD_DECLINE_CODES: ReadonlySet<UnifiedCode> = new Set([
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'incorrect_cvc',
  'invalid_card_number',
  'authentication_required',
  'authentication_failed',
  'authentication_abandoned',
  'suspected_fraud',
  'stolen_card',
  'do_not_honor',
]);
