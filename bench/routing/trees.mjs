// The tree config of each row of bench:routing: one root router over the same three simulator
// leaves (same markets, latency 0), differing only in the router's strategy and cascade.
import { INITIAL_MARKETS, LEAF_IDS, wireMarket } from './scenario.mjs';

const leaves = (seed, extra = {}) =>
  LEAF_IDS.map((id) => ({ id, type: 'simulator', ...extra, options: { latency_ms: 0, market: wireMarket(INITIAL_MARKETS[id], seed) } }));

/** `success_rate:` of the bench's success-rate routers (wire form). window_ms outlasts any run: see README. */
export function successRateBlock(seed, over = {}) {
  return { window_size: 200, window_ms: 3_600_000, segment_by: ['brand'], min_samples: 20, floor: 0, seed, ...over };
}

export function successRateTree(seed, { cascade, settings } = {}) {
  return {
    root: {
      id: 'root',
      type: 'router',
      strategy: 'success-rate',
      success_rate: settings ?? successRateBlock(seed),
      ...(cascade && { cascade }),
      children: leaves(seed),
    },
  };
}

export function weightedTree(seed) {
  return { root: { id: 'root', type: 'router', strategy: 'weighted', children: leaves(seed, { weight: 1 }) } };
}

/** Config order: sim-a (the best leaf at the start) first. */
export function priorityTree(seed) {
  return { root: { id: 'root', type: 'router', strategy: 'priority', children: leaves(seed) } };
}

/** The oracle's tree: the same leaves, called directly (no router decides). */
export function leavesOnlyTree(seed) {
  return priorityTree(seed);
}
