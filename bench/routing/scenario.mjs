// The market bench:routing runs on: three simulator leaves whose approval rates differ (by brand
// too: amex does best on the otherwise weakest leaf) and shift twice during the stream. The truth
// (each leaf's approval rate for a payment at a moment) is what the oracle routes by.

export const LEAF_IDS = ['sim-a', 'sim-b', 'sim-c'];

/** The leaves' markets at the start (wire form, as in a tree config's `options.market`). */
export const INITIAL_MARKETS = {
  'sim-a': { approval_rate: 0.9, by_brand: { amex: 0.78 } },
  'sim-b': { approval_rate: 0.85 },
  'sim-c': { approval_rate: 0.8, by_brand: { amex: 0.9 } },
};

/**
 * The shifts, at a share of the stream: first the best leaf drops (the move the routing must
 * make), later the leaf that took over drops too (the best for visa and mastercard is then sim-c).
 */
export const SHIFTS = [
  { at: 0.4, leaf: 'sim-a', market: { approval_rate: 0.7, by_brand: { amex: 0.6 } }, newBest: 'sim-b' },
  { at: 0.7, leaf: 'sim-b', market: { approval_rate: 0.74 }, newBest: 'sim-c' },
];

/** Fields every market of the bench shares: half the declines soft, no latency (in-process cost only). */
const COMMON = { soft_decline_share: 0.5 };

/** The wire market of a leaf, seeded by the run's seed (leaves draw independently by their ids). */
export function wireMarket(market, seed) {
  return { ...COMMON, ...market, seed };
}

/** Shift payment indexes for a stream of `payments`. */
export function shiftPoints(payments) {
  return SHIFTS.map((shift) => ({ ...shift, index: Math.round(shift.at * payments) }));
}

/**
 * The true approval rate of every leaf over time: `rateOf(leafId, payment)` at the payment's moment.
 * `parseMarket` and `approvalRateOf` are the simulator's own, so the truth is what the leaves draw by.
 */
export function marketTruth({ payments, seed, parseMarket, approvalRateOf }) {
  const resolve = (market) => {
    const parsed = parseMarket(wireMarket(market, seed));
    if (!parsed.market) throw new Error(`bench market invalid: ${parsed.problems.map((p) => p.message).join('; ')}`);
    return parsed.market;
  };
  const shifts = shiftPoints(payments).map((shift) => ({ ...shift, resolved: resolve(shift.market) }));
  const initial = Object.fromEntries(LEAF_IDS.map((id) => [id, resolve(INITIAL_MARKETS[id])]));
  const marketAt = (leafId, index) => {
    let market = initial[leafId];
    for (const shift of shifts) if (shift.leaf === leafId && index >= shift.index) market = shift.resolved;
    return market;
  };
  const rateOf = (leafId, payment) => approvalRateOf(marketAt(leafId, payment.index), { brand: payment.brand, country: payment.country, amount: payment.amount });
  const bestLeafOf = (payment) => LEAF_IDS.reduce((best, id) => (rateOf(id, payment) > rateOf(best, payment) ? id : best));
  return { shifts, rateOf, bestLeafOf };
}
