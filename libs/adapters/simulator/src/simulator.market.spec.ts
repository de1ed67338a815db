import { DEFAULT_MARKET, MARKET_SOFT_DECLINE_CODES, resolveMarket, type MarketSpec, type ResolvedMarket } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { marketDraw } from './market-draw.js';
import { approvalRateOf, logNormalMs, marketLatencyMs, MarketSwitch, marketVerdict, type MarketFacts } from './simulator.market.js';

const market = (spec: MarketSpec = {}): ResolvedMarket => resolveMarket(spec);
const facts = (over: Partial<MarketFacts> = {}): MarketFacts => ({ brand: 'visa', country: 'DE', amount: 1000, ...over });
const attempts = (n: number, prefix = 'att_pay') => Array.from({ length: n }, (_, i) => `${prefix}_${i}_1`);

function share<T>(items: readonly T[], test: (item: T) => boolean): number {
  return items.filter(test).length / items.length;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

describe('market draws', () => {
  it('are in [0, 1), the same for the same key, different for another seed, leaf, attempt or purpose', () => {
    const u = marketDraw(7, 'sim-a', 'att_1_1', 'approval');
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThan(1);
    expect(marketDraw(7, 'sim-a', 'att_1_1', 'approval')).toBe(u);
    for (const other of [marketDraw(8, 'sim-a', 'att_1_1', 'approval'), marketDraw(7, 'sim-b', 'att_1_1', 'approval'), marketDraw(7, 'sim-a', 'att_1_2', 'approval'), marketDraw(7, 'sim-a', 'att_1_1', 'soft')]) {
      expect(other).not.toBe(u);
    }
  });

  it('are uniform: each tenth of [0, 1) gets its tenth of 20 000 draws (±1 point)', () => {
    const draws = attempts(20_000).map((id) => marketDraw(0, 'sim', id, 'approval'));
    for (let decile = 0; decile < 10; decile++) {
      expect(Math.abs(share(draws, (u) => Math.floor(u * 10) === decile) - 0.1)).toBeLessThan(0.01);
    }
  });
});

describe('market approval rate', () => {
  it('is the base rate when no dimension matches', () => {
    const m = market({ approvalRate: 0.9, byBrand: { amex: 0.5 }, byCountry: { BR: 0.5 }, amountBands: [{ upTo: 500, approvalRate: 0.5 }] });
    expect(approvalRateOf(m, facts())).toBeCloseTo(0.9, 10);
  });

  it('is the dimension\'s own rate when one dimension matches', () => {
    const base = { approvalRate: 0.9 };
    expect(approvalRateOf(market({ ...base, byBrand: { visa: 0.8 } }), facts())).toBeCloseTo(0.8, 10);
    expect(approvalRateOf(market({ ...base, byCountry: { DE: 0.95 } }), facts())).toBeCloseTo(0.95, 10);
    expect(approvalRateOf(market({ ...base, byCountry: { DE: 0.95 } }), facts({ country: undefined }))).toBeCloseTo(0.9, 10);
  });

  it('takes the first amount band the amount does not exceed (inclusive), the open band above the others', () => {
    const m = market({ approvalRate: 0.9, amountBands: [{ upTo: 1000, approvalRate: 0.93 }, { upTo: 5000, approvalRate: 0.88 }, { approvalRate: 0.7 }] });
    expect(approvalRateOf(m, facts({ amount: 1000 }))).toBeCloseTo(0.93, 10);
    expect(approvalRateOf(m, facts({ amount: 1001 }))).toBeCloseTo(0.88, 10);
    expect(approvalRateOf(m, facts({ amount: 5001 }))).toBeCloseTo(0.7, 10);
    const closed = market({ approvalRate: 0.9, amountBands: [{ upTo: 1000, approvalRate: 0.5 }] });
    expect(approvalRateOf(closed, facts({ amount: 2000 }))).toBeCloseTo(0.9, 10);
  });

  it('combines matching dimensions as base × Π(rate / base), clamped to [0, 1]', () => {
    const m = market({ approvalRate: 0.8, byBrand: { visa: 0.9 }, byCountry: { DE: 0.6 }, amountBands: [{ approvalRate: 0.4 }] });
    expect(approvalRateOf(m, facts())).toBeCloseTo(0.8 * (0.9 / 0.8) * (0.6 / 0.8) * (0.4 / 0.8), 10);
    const lifted = market({ approvalRate: 0.5, byBrand: { visa: 1 }, byCountry: { DE: 1 } });
    expect(approvalRateOf(lifted, facts())).toBe(1);
    expect(approvalRateOf(market({ approvalRate: 0, byBrand: { visa: 1 } }), facts())).toBe(0);
  });
});

describe('market verdicts', () => {
  it('approve about the configured rate of 20 000 attempts (±2 points)', () => {
    for (const rate of [0.1, 0.5, 0.85, 0.97]) {
      const m = market({ seed: 7, approvalRate: rate });
      expect(Math.abs(share(attempts(20_000), (id) => marketVerdict(m, 'sim', id, facts()).kind === 'approve') - rate)).toBeLessThan(0.02);
    }
    const combined = market({ seed: 3, approvalRate: 0.9, byBrand: { visa: 0.8 }, byCountry: { DE: 0.72 } });
    const expected = approvalRateOf(combined, facts());
    expect(Math.abs(share(attempts(20_000), (id) => marketVerdict(combined, 'sim', id, facts()).kind === 'approve') - expected)).toBeLessThan(0.02);
  });

  it('always approve at rate 1 and never at rate 0', () => {
    expect(attempts(2_000).every((id) => marketVerdict(market({ approvalRate: 1 }), 'sim', id, facts()).kind === 'approve')).toBe(true);
    expect(attempts(2_000).every((id) => marketVerdict(market({ approvalRate: 0 }), 'sim', id, facts()).kind === 'decline')).toBe(true);
  });

  it('decline soft at soft_decline_share, with codes of the soft or hard list, each drawn', () => {
    const m = market({ seed: 1, approvalRate: 0, softDeclineShare: 0.3 });
    const verdicts = attempts(20_000).map((id) => marketVerdict(m, 'sim', id, facts()));
    const declines = verdicts.filter((v) => v.kind === 'decline');
    expect(Math.abs(share(declines, (v) => v.soft) - 0.3)).toBeLessThan(0.02);
    for (const decline of declines) expect((decline.soft ? m.softCodes : m.hardCodes).includes(decline.code)).toBe(true);
    expect(new Set(declines.filter((v) => v.soft).map((v) => v.code))).toEqual(new Set(MARKET_SOFT_DECLINE_CODES));
    expect(new Set(declines.filter((v) => !v.soft).map((v) => v.code))).toEqual(new Set(DEFAULT_MARKET.hardCodes));
    const allSoft = market({ approvalRate: 0, softDeclineShare: 1, softCodes: ['try_again_later'] });
    expect(new Set(attempts(500).map((id) => JSON.stringify(marketVerdict(allSoft, 'sim', id, facts()))))).toEqual(
      new Set([JSON.stringify({ kind: 'decline', code: 'try_again_later', soft: true })]),
    );
  });

  it('give the same attempt the same verdict, whatever the order of calls', () => {
    const m = market({ seed: 9, approvalRate: 0.5 });
    const ids = attempts(1_000);
    const forward = ids.map((id) => marketVerdict(m, 'sim', id, facts()));
    const backward = [...ids].reverse().map((id) => marketVerdict(m, 'sim', id, facts())).reverse();
    expect(backward).toEqual(forward);
    const other = market({ seed: 10, approvalRate: 0.5 });
    expect(ids.map((id) => marketVerdict(other, 'sim', id, facts()))).not.toEqual(forward);
  });

  it('are independent across leaves: both approve about rate² of the same attempts', () => {
    const m = market({ seed: 5, approvalRate: 0.6 });
    const ids = attempts(20_000);
    const onA = ids.map((id) => marketVerdict(m, 'sim-a', id, facts()).kind === 'approve');
    const onB = ids.map((id) => marketVerdict(m, 'sim-b', id, facts()).kind === 'approve');
    expect(onA).not.toEqual(onB);
    expect(Math.abs(share(ids.map((_, i) => i), (i) => onA[i]! && onB[i]!) - 0.36)).toBeLessThan(0.02);
  });
});

describe('market latency', () => {
  it('draws a log-normal with the configured median and 99th percentile', () => {
    const latency = { medianMs: 80, p99Ms: 400 };
    const m = market({ seed: 2, latency });
    const draws = attempts(20_000).map((id) => marketLatencyMs(m, 'sim', `authorize:${id}`)!).sort((a, b) => a - b);
    expect(Math.abs(percentile(draws, 0.5) - 80)).toBeLessThanOrEqual(4);
    expect(Math.abs(percentile(draws, 0.99) - 400)).toBeLessThanOrEqual(40);
    expect(draws[0]!).toBeGreaterThanOrEqual(0);
  });

  it('is the median at the middle draw, constant when p99 equals the median, none without latency', () => {
    expect(logNormalMs({ medianMs: 80, p99Ms: 400 }, 0, 0.25)).toBe(80);
    expect(logNormalMs({ medianMs: 50, p99Ms: 50 }, 0.9, 0.1)).toBe(50);
    expect(marketLatencyMs(market(), 'sim', 'authorize:att_1_1')).toBeNull();
  });
});

describe('MarketSwitch', () => {
  const configured = market({ seed: 7, approvalRate: 0.9 });

  it('answers the configured market, every field filled in, until ops set another; reset goes back', () => {
    const control = new MarketSwitch(configured);
    expect(control.currentMarket()).toEqual({ ...DEFAULT_MARKET, seed: 7, approvalRate: 0.9 });
    control.setMarket({ approvalRate: 0, softDeclineShare: 1 });
    expect(control.currentMarket()).toEqual({ ...DEFAULT_MARKET, approvalRate: 0, softDeclineShare: 1 });
    expect(control.active()?.approvalRate).toBe(0);
    control.resetMarket();
    expect(control.currentMarket()).toEqual(configured);
  });

  it('without a configured market: none, and reset clears what ops set', () => {
    const control = new MarketSwitch(null);
    expect(control.currentMarket()).toBeNull();
    control.setMarket({ byBrand: { visa: 0.5 } });
    expect(control.currentMarket()?.byBrand).toEqual({ visa: 0.5 });
    control.resetMarket();
    expect(control.currentMarket()).toBeNull();
  });

  it('refuses a bad market with a RangeError naming the field, and keeps the one in force', () => {
    const control = new MarketSwitch(configured);
    expect(() => control.setMarket({ approvalRate: 1.5 })).toThrow(new RangeError('invalid market: market.approval_rate must be a number from 0 to 1'));
    expect(() => control.setMarket({ hardCodes: ['try_again_later'] })).toThrow(/market\.hard_codes must be a non-empty list of hard decline codes/);
    expect(() => control.setMarket({ latency: { medianMs: 100, p99Ms: 50 } })).toThrow(/market\.latency\.p99_ms must be at least latency\.median_ms/);
    expect(control.currentMarket()).toEqual(configured);
  });

  it('drops repeated codes, so each code of a list is drawn as often', () => {
    const control = new MarketSwitch(null);
    control.setMarket({ softCodes: ['do_not_honor', 'do_not_honor', 'try_again_later'] });
    expect(control.currentMarket()?.softCodes).toEqual(['do_not_honor', 'try_again_later']);
  });

  it('hands out copies: changing an answer changes nothing in force', () => {
    const control = new MarketSwitch(null);
    control.setMarket({ byCountry: { DE: 0.5 } });
    control.currentMarket()!.byCountry!.DE = 0;
    expect(control.currentMarket()?.byCountry).toEqual({ DE: 0.5 });
  });
});
