import { describe, expect, it } from 'vitest';
import { DEFAULT_MARKET, MARKET_HARD_DECLINE_CODES, marketToWire, parseMarket, parseMarketSpec, resolveMarket } from './market.js';

describe('market wire form', () => {
  const market = resolveMarket({
    seed: 7,
    approvalRate: 0.9,
    byBrand: { visa: 0.92 },
    byCountry: { DE: 0.95 },
    amountBands: [{ upTo: 10_000, approvalRate: 0.93 }, { approvalRate: 0.85 }],
    latency: { medianMs: 80, p99Ms: 400 },
  });

  it('reads back what it writes, every field', () => {
    const wire = marketToWire(market);
    expect(wire).toEqual({
      seed: 7,
      approval_rate: 0.9,
      by_brand: { visa: 0.92 },
      by_country: { DE: 0.95 },
      amount_bands: [{ up_to: 10_000, approval_rate: 0.93 }, { approval_rate: 0.85 }],
      soft_decline_share: 0.5,
      soft_codes: ['try_again_later', 'issuer_unavailable', 'do_not_honor'],
      hard_codes: ['card_declined', 'insufficient_funds', 'expired_card', 'stolen_card'],
      latency: { median_ms: 80, p99_ms: 400 },
    });
    expect(parseMarket(wire)).toEqual({ market, problems: [] });
    expect(parseMarket(marketToWire(DEFAULT_MARKET))).toEqual({ market: DEFAULT_MARKET, problems: [] });
  });

  it('hard decline codes are final declines, none of the soft ones', () => {
    expect(MARKET_HARD_DECLINE_CODES).toEqual(expect.arrayContaining(['card_declined', 'suspected_fraud', 'stolen_card', 'incorrect_cvc']));
    expect(MARKET_HARD_DECLINE_CODES).not.toContain('do_not_honor');
    expect(MARKET_HARD_DECLINE_CODES).not.toContain('processing_error');
  });

  it('names the fields of a camelCase market of the wrong shape (from the wire) instead of throwing', () => {
    const hostile = { amountBands: 'many', byBrand: 'visa', latency: 5, softCodes: {} } as unknown as Parameters<typeof parseMarketSpec>[0];
    expect(parseMarketSpec(hostile).problems.map((problem) => problem.param)).toEqual(['by_brand', 'amount_bands', 'soft_codes', 'latency']);
    expect(parseMarketSpec('high' as never)).toEqual({ market: null, problems: [{ param: '', message: 'market must be an object' }] });
  });
});
