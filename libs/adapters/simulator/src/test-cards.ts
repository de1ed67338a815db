import { isLuhnValid, type UnifiedCode } from '#gateway-spi';

/** What the sandbox provider does with a card: the pure half of the simulator. */
export type CardScript =
  | { kind: 'approve' }
  | { kind: 'decline'; code: UnifiedCode }
  /** Refused before anything was charged: safe to try elsewhere. */
  | { kind: 'fail'; code: UnifiedCode }
  /** Charges, then the reply never arrives before the deadline. */
  | { kind: 'charge-no-reply' }
  /**
   * 3-D Secure challenge: the shopper must authenticate on the challenge page first; then the issuer
   * approves, or (`issuerRefuses`) refuses even though the shopper completed it.
   */
  | { kind: 'challenge'; issuerRefuses: boolean };

/** The sandbox test cards of API.md. */
export const TEST_CARDS: ReadonlyMap<string, CardScript> = new Map<string, CardScript>([
  ['4242424242424242', { kind: 'approve' }],
  ['5555555555554444', { kind: 'approve' }],
  ['4000000000000002', { kind: 'decline', code: 'card_declined' }],
  ['4000000000009995', { kind: 'decline', code: 'insufficient_funds' }],
  ['4000000000000069', { kind: 'decline', code: 'expired_card' }],
  ['4000000000000119', { kind: 'fail', code: 'processing_error' }],
  ['4000000000000101', { kind: 'charge-no-reply' }],
  ['4000000000003220', { kind: 'challenge', issuerRefuses: false }],
  ['4000008400001629', { kind: 'challenge', issuerRefuses: true }],
  // 3-D Secure frictionless: the issuer authenticates without the shopper, so it is a plain approval.
  ['4000000000003055', { kind: 'approve' }],
]);

/** True for the test cards and Luhn-invalid numbers: their outcome is scripted, never the market's. */
export function isScriptedCard(number: string): boolean {
  return TEST_CARDS.has(number) || !isLuhnValid(number);
}

/** Any other Luhn-valid number is approved (or, with a market, as the market draws); a Luhn-invalid one is a hard decline. */
export function scriptForCard(number: string): CardScript {
  const known = TEST_CARDS.get(number);
  if (known) return known;
  return isLuhnValid(number) ? { kind: 'approve' } : { kind: 'decline', code: 'invalid_card_number' };
}
