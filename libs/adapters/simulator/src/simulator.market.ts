import { MAX_MARKET_LATENCY_MS, parseMarketSpec, resolveMarket, type LatencySpec, type MarketControl, type MarketSpec, type ResolvedMarket, type UnifiedCode } from '#gateway-spi';
import { marketDraw } from './market-draw.js';

/** What of an attempt the market's rates depend on: no card data. */
export interface MarketFacts {
  brand: string;
  /** Upper-case customer country, when known. */
  country: string | undefined;
  /** Minor units. */
  amount: number;
}

export type MarketVerdict = { kind: 'approve' } | { kind: 'decline'; code: UnifiedCode; soft: boolean };

/** 99th percentile of the standard normal distribution. */
const Z_99 = 2.3263478740408408;

/**
 * The approval rate of an attempt: each matching dimension (brand, country, amount band) gives an
 * absolute rate, combined as base × Π(rate / base), so one matching dimension gives its own rate and
 * several multiply their lifts over the base. Clamped to [0, 1]; base 0 approves nothing.
 */
export function approvalRateOf(market: ResolvedMarket, facts: MarketFacts): number {
  const base = market.approvalRate;
  if (base <= 0) return 0;
  let rate = base;
  const brandRate = market.byBrand[facts.brand];
  if (brandRate !== undefined) rate *= brandRate / base;
  const countryRate = facts.country === undefined ? undefined : market.byCountry[facts.country];
  if (countryRate !== undefined) rate *= countryRate / base;
  const band = market.amountBands.find((candidate) => candidate.upTo === undefined || facts.amount <= candidate.upTo);
  if (band) rate *= band.approvalRate / base;
  return Math.min(1, Math.max(0, rate));
}

/** Approved or declined, and with which code: the same for the same (seed, leaf, attempt) every time. */
export function marketVerdict(market: ResolvedMarket, leafId: string, attemptId: string, facts: MarketFacts): MarketVerdict {
  const draw = (purpose: string) => marketDraw(market.seed, leafId, attemptId, purpose);
  if (draw('approval') < approvalRateOf(market, facts)) return { kind: 'approve' };
  const soft = draw('soft') < market.softDeclineShare;
  const codes = soft ? market.softCodes : market.hardCodes;
  return { kind: 'decline', code: codes[Math.floor(draw('code') * codes.length)]!, soft };
}

/**
 * A log-normal latency (ms) from two uniform draws in [0, 1) (Box–Muller): median `medianMs`, and
 * `p99Ms` as its 99th percentile. Rounded, at most 120 s.
 */
export function logNormalMs(latency: LatencySpec, u1: number, u2: number): number {
  const sigma = Math.log(latency.p99Ms / latency.medianMs) / Z_99;
  const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  return Math.min(MAX_MARKET_LATENCY_MS, Math.round(latency.medianMs * Math.exp(sigma * z)));
}

/** The latency of one call (`callKey` names it: operation and id), or null when the market sets none. */
export function marketLatencyMs(market: ResolvedMarket, leafId: string, callKey: string): number | null {
  if (!market.latency) return null;
  return logNormalMs(market.latency, marketDraw(market.seed, leafId, callKey, 'latency-1'), marketDraw(market.seed, leafId, callKey, 'latency-2'));
}

/** The market of one leaf: the tree config's, until ops set another. */
export class MarketSwitch implements MarketControl {
  private market: ResolvedMarket | null;

  constructor(private readonly configured: ResolvedMarket | null) {
    this.market = configured;
  }

  setMarket(spec: MarketSpec): void {
    const { market, problems } = parseMarketSpec(spec);
    if (!market) throw new RangeError(`invalid market: ${problems.map((p) => p.message).join('; ')}`);
    this.market = market;
  }

  resetMarket(): void {
    this.market = this.configured;
  }

  currentMarket(): ResolvedMarket | null {
    return this.market && resolveMarket(this.market);
  }

  /** The market in force, for the calls themselves (not a copy: never hand it out). */
  active(): ResolvedMarket | null {
    return this.market;
  }
}
