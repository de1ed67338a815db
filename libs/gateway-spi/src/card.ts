/** Pure card helpers shared by the root (validation, masking) and nodes (brand for routing). */

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay' | 'unknown';

export function isLuhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  let double = false;
  for (let i = number.length - 1; i >= 0; i--) {
    let digit = number.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

const BRAND_PATTERNS: ReadonlyArray<[CardBrand, RegExp]> = [
  ['visa', /^4/],
  ['mastercard', /^(5[1-5]|2(2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/],
  ['amex', /^3[47]/],
  ['diners', /^3(0[0-5]|[68])/],
  ['jcb', /^35(2[89]|[3-8])/],
  ['discover', /^(6011|65|64[4-9])/],
  ['unionpay', /^62/],
];

export function detectBrand(number: string): CardBrand {
  for (const [brand, pattern] of BRAND_PATTERNS) if (pattern.test(number)) return brand;
  return 'unknown';
}

/** What may be stored and shown of a card: never the full number, never the CVC. */
export interface MaskedCard {
  brand: CardBrand;
  bin: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export function maskCard(card: { number: string; expMonth: number; expYear: number }): MaskedCard {
  return {
    brand: detectBrand(card.number),
    bin: card.number.slice(0, 6),
    last4: card.number.slice(-4),
    expMonth: card.expMonth,
    expYear: card.expYear,
  };
}
