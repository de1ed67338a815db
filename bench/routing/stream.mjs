// The synthetic payment stream every row of bench:routing sends: seeded, so every row (and every
// run with the same seed) sees the same payments in the same order. Cards are generated Luhn-valid
// numbers that are not sandbox test cards, so the simulator's market decides them.

/** mulberry32, the success-rate strategy's own seeded PRNG, uniform in [0, 1). */
import { mulberry32 as seededRandom } from '../../libs/orchestration/src/strategies/success-rate/beta-draw.ts';

export { seededRandom };

/** Share of payments by brand, with the number prefixes and length of generated cards. */
export const BRAND_MIX = [
  { brand: 'visa', share: 0.55, prefixes: ['4'], length: 16 },
  { brand: 'mastercard', share: 0.35, prefixes: ['51', '53', '55'], length: 16 },
  { brand: 'amex', share: 0.1, prefixes: ['34', '37'], length: 15 },
];
const COUNTRIES = ['DE', 'FR', 'NL', 'GB', 'US'];
const CARDS_PER_BRAND = 400;

function luhnCheckDigit(partial) {
  let sum = 0;
  for (let i = 0; i < partial.length; i += 1) {
    let digit = partial.charCodeAt(partial.length - 1 - i) - 48;
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

function cardNumber(random, { prefixes, length }) {
  let partial = prefixes[Math.floor(random() * prefixes.length)];
  while (partial.length < length - 1) partial += String(Math.floor(random() * 10));
  return partial + luhnCheckDigit(partial);
}

function pick(random, weighted) {
  let ticket = random();
  for (const entry of weighted) if ((ticket -= entry.share) < 0) return entry;
  return weighted.at(-1);
}

/**
 * `count` payments: brand by BRAND_MIX, a card from a pool per brand, a customer country, an amount
 * (log-uniform 5.00–500.00 EUR, minor units). `isScripted` (the simulator's test-card check) keeps
 * test cards out of the pools.
 */
export function paymentStream({ count, seed, isScripted }) {
  const random = seededRandom(seed);
  const pools = new Map(
    BRAND_MIX.map((entry) => {
      const pool = [];
      while (pool.length < CARDS_PER_BRAND) {
        const number = cardNumber(random, entry);
        if (!isScripted(number)) pool.push(number);
      }
      return [entry.brand, pool];
    }),
  );
  return Array.from({ length: count }, (_, index) => {
    const { brand } = pick(random, BRAND_MIX);
    const pool = pools.get(brand);
    return {
      index,
      paymentId: `pay_routing_${seed}_${index}`,
      brand,
      cardNumber: pool[Math.floor(random() * pool.length)],
      country: COUNTRIES[Math.floor(random() * COUNTRIES.length)],
      amount: Math.round(500 * Math.exp(random() * Math.log(100))),
    };
  });
}

/** The AuthorizeRequest the gateway would build for one payment of the stream (first attempt). */
export function authorizeRequestOf(payment, spi) {
  const card = { number: payment.cardNumber, expMonth: 12, expYear: 2030, cvc: '123' };
  return {
    paymentId: payment.paymentId,
    attemptId: spi.attemptIdFor(payment.paymentId, 1),
    attemptSeq: 1,
    merchantId: 'mer_bench',
    amount: payment.amount,
    currency: 'EUR',
    capture: false,
    paymentMethod: { type: 'card', card, display: spi.maskCard(card) },
    customerCountry: payment.country,
    metadata: {},
  };
}
