import type { CardBrand } from './card.js';
import { HARD_DECLINE_CODES, UNIFIED_CODES, type UnifiedCode } from './codes.js';

/**
 * A sandbox leaf's "market": how its issuers answer the cards no test script decides (approval
 * rates by brand, country and amount, the mix of soft and hard declines, the latency), seeded so a
 * run can be replayed. Its wire form (tree config and ops bodies) is snake_case; `parseMarket`
 * reads it for both, so config and ops accept exactly the same thing.
 */

/** A log-normal latency, fixed by its median and 99th percentile (ms). */
export interface LatencySpec {
  medianMs: number;
  p99Ms: number;
}

/** Amounts up to `upTo` minor units (inclusive); without `upTo` (last band only): every larger amount. */
export interface AmountBand {
  upTo?: number;
  approvalRate: number;
}

/** The camelCase market; absent fields take their defaults (`resolveMarket`). */
export interface MarketSpec {
  seed?: number;
  /** Base approval rate, 0–1. */
  approvalRate?: number;
  /** Lower-case card brand → absolute approval rate, 0–1. */
  byBrand?: Record<string, number>;
  /** Upper-case ISO 3166-1 alpha-2 customer country → absolute approval rate, 0–1. */
  byCountry?: Record<string, number>;
  /** Ascending `upTo`; an amount above every `upTo` matches no band. */
  amountBands?: AmountBand[];
  /** Share of declines that are soft, 0–1. */
  softDeclineShare?: number;
  softCodes?: UnifiedCode[];
  hardCodes?: UnifiedCode[];
  /** Replaces the leaf's fixed latency when set; null: not set. */
  latency?: LatencySpec | null;
}

/** A market with every field at its effective value. */
export type ResolvedMarket = Required<Omit<MarketSpec, 'latency'>> & { latency: LatencySpec | null };

/**
 * Optional run-time control of a sandbox leaf's market, found by capability, never by type.
 * `currentMarket` answers every field filled in (null: no market, the leaf's plain behaviour).
 */
export interface MarketControl {
  /** Throws RangeError naming the bad fields. */
  setMarket(spec: MarketSpec): void;
  /** Back to the tree config's market, or none. */
  resetMarket(): void;
  currentMarket(): MarketSpec | null;
}

/** The answer to a market change addressed by node id. */
export type MarketChange =
  | { ok: true; market: MarketSpec | null }
  | { ok: false; reason: 'not_found' | 'not_supported' | 'invalid' | 'unreachable'; message: string };

/**
 * Ops control of the markets of the nodes behind a node that live in another process (a remote
 * subtree): `SubtreeOps.markets`. Absent when the other process cannot relay them.
 */
export interface SubtreeMarkets {
  /** Markets of the nodes behind this node that have one (null: none set), as last reported. */
  markets(): Readonly<Record<string, MarketSpec | null>>;
  setMarket(nodeId: string, spec: MarketSpec): Promise<MarketChange>;
  resetMarket(nodeId: string): Promise<MarketChange>;
}

/** Declines that say "not now" rather than "never" for this card. */
export const MARKET_SOFT_DECLINE_CODES: readonly UnifiedCode[] = ['try_again_later', 'issuer_unavailable', 'do_not_honor'];
/** What may be drawn as a hard decline: the bank's final answers about the card. */
export const MARKET_HARD_DECLINE_CODES: readonly UnifiedCode[] = UNIFIED_CODES.filter(
  (code) => HARD_DECLINE_CODES.has(code) && !MARKET_SOFT_DECLINE_CODES.includes(code),
);

export const DEFAULT_MARKET: Readonly<ResolvedMarket> = Object.freeze<ResolvedMarket>({
  seed: 0,
  approvalRate: 1,
  byBrand: {},
  byCountry: {},
  amountBands: [],
  softDeclineShare: 0.5,
  softCodes: [...MARKET_SOFT_DECLINE_CODES],
  hardCodes: ['card_declined', 'insufficient_funds', 'expired_card', 'stolen_card'],
  latency: null,
});

const BRANDS = ['visa', 'mastercard', 'amex', 'discover', 'jcb', 'diners', 'unionpay', 'unknown'] as const satisfies readonly CardBrand[];
// Fails to compile when a brand is added to CardBrand but not here.
const EVERY_BRAND: Exclude<CardBrand, (typeof BRANDS)[number]> extends never ? true : never = true;
void EVERY_BRAND;

const COUNTRY = /^[A-Z]{2}$/;
/** The longest latency a market sets or draws (ms). */
export const MAX_MARKET_LATENCY_MS = 120_000;

const WIRE_FIELDS = ['seed', 'approval_rate', 'by_brand', 'by_country', 'amount_bands', 'soft_decline_share', 'soft_codes', 'hard_codes', 'latency'];

/**
 * One bad field: `param` is its path in the snake_case market (`amount_bands[1].up_to`; empty: the
 * market itself), `message` names it from the market down (`market.amount_bands[1].up_to must …`).
 */
export interface MarketProblem {
  param: string;
  message: string;
}

const NOT_AN_OBJECT: MarketProblem = { param: '', message: 'market must be an object' };

export function resolveMarket(spec: MarketSpec): ResolvedMarket {
  const defined = Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined)) as MarketSpec;
  const market = { ...DEFAULT_MARKET, ...defined };
  return {
    ...market,
    byBrand: { ...market.byBrand },
    byCountry: { ...market.byCountry },
    amountBands: market.amountBands.map((band) => ({ ...band })),
    softCodes: [...market.softCodes],
    hardCodes: [...market.hardCodes],
    latency: market.latency ? { ...market.latency } : null,
  };
}

/**
 * Reads a snake_case market (tree config `options.market`, an ops body). Undefined or null: no
 * market. Problems name each bad field; `market` is null when there is any.
 */
export function parseMarket(raw: unknown): { market: ResolvedMarket | null; problems: MarketProblem[] } {
  if (raw === undefined || raw === null) return { market: null, problems: [] };
  const problems: MarketProblem[] = [];
  if (!isPlainObject(raw)) return { market: null, problems: [NOT_AN_OBJECT] };
  const report = (param: string, message: string) => problems.push({ param, message: `market.${param} ${message}` });
  for (const key of Object.keys(raw)) {
    if (!WIRE_FIELDS.includes(key)) report(key, `is not a market field (known: ${WIRE_FIELDS.join(', ')})`);
  }
  const spec: MarketSpec = {};
  if (raw.seed !== undefined) {
    if (isNonNegativeInteger(raw.seed)) spec.seed = raw.seed;
    else report('seed', 'must be a non-negative integer');
  }
  spec.approvalRate = rateField(raw.approval_rate, 'approval_rate', report);
  spec.byBrand = rateTable(raw.by_brand, 'by_brand', (key) => (BRANDS as readonly string[]).includes(key), `lower-case card brands (${BRANDS.join(', ')})`, report);
  spec.byCountry = rateTable(raw.by_country, 'by_country', (key) => COUNTRY.test(key), 'upper-case ISO 3166-1 alpha-2 country codes', report);
  spec.amountBands = amountBands(raw.amount_bands, report);
  spec.softDeclineShare = rateField(raw.soft_decline_share, 'soft_decline_share', report);
  spec.softCodes = codeList(raw.soft_codes, 'soft_codes', MARKET_SOFT_DECLINE_CODES, 'soft decline codes', report);
  spec.hardCodes = codeList(raw.hard_codes, 'hard_codes', MARKET_HARD_DECLINE_CODES, 'hard decline codes', report);
  spec.latency = latency(raw.latency, report);
  return problems.length > 0 ? { market: null, problems } : { market: resolveMarket(spec), problems };
}

/**
 * The snake_case form of `spec` (fields it lacks stay absent): what ops answer and config holds.
 * A value of the wrong shape (a spec from the wire) is passed on as it is, for `parseMarket` to name.
 */
export function marketToWire(spec: MarketSpec): Record<string, unknown> {
  const { amountBands, latency } = spec as Record<string, unknown>;
  const bandToWire = (band: unknown) => {
    if (!isPlainObject(band)) return band;
    return band.upTo === undefined ? { approval_rate: band.approvalRate } : { up_to: band.upTo, approval_rate: band.approvalRate };
  };
  const copy = (value: unknown) => (Array.isArray(value) ? [...value] : isPlainObject(value) ? { ...value } : value);
  const wire: Record<string, unknown> = {
    seed: spec.seed,
    approval_rate: spec.approvalRate,
    by_brand: copy(spec.byBrand),
    by_country: copy(spec.byCountry),
    amount_bands: Array.isArray(amountBands) ? amountBands.map(bandToWire) : amountBands,
    soft_decline_share: spec.softDeclineShare,
    soft_codes: copy(spec.softCodes),
    hard_codes: copy(spec.hardCodes),
    latency: isPlainObject(latency) ? { median_ms: latency.medianMs, p99_ms: latency.p99Ms } : latency,
  };
  return Object.fromEntries(Object.entries(wire).filter(([, value]) => value !== undefined));
}

/** Reads a camelCase market (a leaf's `setMarket`, from ops or the wire) by the same rules as its wire form. */
export function parseMarketSpec(spec: MarketSpec): { market: ResolvedMarket | null; problems: MarketProblem[] } {
  return isPlainObject(spec) ? parseMarket(marketToWire(spec)) : { market: null, problems: [NOT_AN_OBJECT] };
}

type Report = (param: string, message: string) => void;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isRate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}

function rateField(value: unknown, param: string, report: Report): number | undefined {
  if (value === undefined) return undefined;
  if (isRate(value)) return value;
  report(param, 'must be a number from 0 to 1');
  return undefined;
}

function rateTable(value: unknown, param: string, validKey: (key: string) => boolean, keys: string, report: Report): Record<string, number> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    report(param, `must be an object of ${keys} to rates from 0 to 1`);
    return undefined;
  }
  const table: Record<string, number> = {};
  for (const [key, rate] of Object.entries(value)) {
    if (!validKey(key)) report(`${param}.${key}`, `is not one of the ${keys}`);
    else if (!isRate(rate)) report(`${param}.${key}`, 'must be a number from 0 to 1');
    else table[key] = rate;
  }
  return table;
}

function amountBands(value: unknown, report: Report): AmountBand[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    report('amount_bands', 'must be a list of {up_to, approval_rate}');
    return undefined;
  }
  const bands: AmountBand[] = [];
  let previous = -1;
  value.forEach((band: unknown, i) => {
    const param = `amount_bands[${i}]`;
    if (!isPlainObject(band)) return report(param, 'must be an object {up_to, approval_rate}');
    for (const key of Object.keys(band)) if (key !== 'up_to' && key !== 'approval_rate') report(`${param}.${key}`, 'is not a band field (known: up_to, approval_rate)');
    const rate = band.approval_rate;
    if (!isRate(rate)) report(`${param}.approval_rate`, 'must be a number from 0 to 1');
    const last = i === value.length - 1;
    const upTo = band.up_to;
    if (upTo === undefined || upTo === null) {
      if (!last) report(`${param}.up_to`, 'may be omitted on the last band only');
      if (isRate(rate)) bands.push({ approvalRate: rate });
      return;
    }
    if (!isNonNegativeInteger(upTo)) return report(`${param}.up_to`, 'must be a non-negative integer (minor units)');
    if (upTo <= previous) report(`${param}.up_to`, 'must be greater than the previous band\'s up_to');
    previous = upTo;
    if (isRate(rate)) bands.push({ upTo, approvalRate: rate });
  });
  return bands;
}

function codeList(value: unknown, param: string, allowed: readonly UnifiedCode[], what: string, report: Report): UnifiedCode[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    report(param, `must be a non-empty list of ${what} (${allowed.join(', ')})`);
    return undefined;
  }
  const bad = value.filter((code) => typeof code !== 'string' || !(allowed as readonly string[]).includes(code));
  if (bad.length > 0) {
    report(param, `must be a non-empty list of ${what} (${allowed.join(', ')}); bad: ${bad.map((code) => JSON.stringify(code)).join(', ')}`);
    return undefined;
  }
  return [...new Set(value as UnifiedCode[])];
}

function latency(value: unknown, report: Report): LatencySpec | null | undefined {
  if (value === undefined || value === null) return value;
  if (!isPlainObject(value)) {
    report('latency', 'must be an object {median_ms, p99_ms}');
    return undefined;
  }
  for (const key of Object.keys(value)) if (key !== 'median_ms' && key !== 'p99_ms') report(`latency.${key}`, 'is not a latency field (known: median_ms, p99_ms)');
  const { median_ms: median, p99_ms: p99 } = value;
  // A log-normal has no median 0: no latency is no `latency`.
  const inRange = (ms: unknown): ms is number => isNonNegativeInteger(ms) && ms >= 1 && ms <= MAX_MARKET_LATENCY_MS;
  if (!inRange(median)) report('latency.median_ms', `must be an integer from 1 to ${MAX_MARKET_LATENCY_MS}`);
  if (!inRange(p99)) report('latency.p99_ms', `must be an integer from 1 to ${MAX_MARKET_LATENCY_MS}`);
  if (!inRange(median) || !inRange(p99)) return undefined;
  if (p99 < median) {
    report('latency.p99_ms', 'must be at least latency.median_ms');
    return undefined;
  }
  return { medianMs: median, p99Ms: p99 };
}
