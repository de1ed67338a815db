// The in-process decision cost of the success-rate strategy: `plan(facts, children)` alone, timed
// call by call over a warm window (every child's window full in every segment), after a warm-up.
import { performance } from 'node:perf_hooks';
import { percentile, round3 } from '../lib/stats.mjs';
import { BRAND_MIX, seededRandom } from './stream.mjs';

/** camelCase strategy settings from the bench's `success_rate:` wire block. */
function settingsOf(block, defaults) {
  return {
    ...defaults,
    windowSize: block.window_size,
    windowMs: block.window_ms,
    segmentBy: block.segment_by,
    minSamples: block.min_samples,
    exploration: block.exploration ?? defaults.exploration,
    floor: block.floor,
    seed: block.seed,
    weights: new Map(),
  };
}

export function measureDecision({ SuccessRateStrategy, DEFAULT_SUCCESS_RATE, block, leaves, calls, warmup, seed }) {
  const strategy = new SuccessRateStrategy(settingsOf(block, DEFAULT_SUCCESS_RATE));
  const random = seededRandom(seed ^ 0x5eed);
  const factsOf = (brand, paymentId) => ({ amount: 2_500, currency: 'EUR', method: 'card', brand, country: 'DE', merchantId: 'mer_bench', paymentId });
  const rates = [0.9, 0.85, 0.8];
  for (const [k, leaf] of leaves.entries()) {
    for (const { brand } of BRAND_MIX) {
      for (let i = 0; i < block.window_size; i += 1) {
        const approved = random() < rates[k % rates.length];
        strategy.observe(factsOf(brand, `pay_warm_${k}_${i}`), leaf.id, approved ? 'approved' : 'declined', approved ? null : 'do_not_honor');
      }
    }
  }
  const children = leaves.map((node) => ({ node, misfit: null, admitted: true }));
  const facts = Array.from({ length: calls + warmup }, (_, i) => factsOf(BRAND_MIX[i % BRAND_MIX.length].brand, `pay_decide_${i}`));
  for (let i = 0; i < warmup; i += 1) strategy.plan(facts[i], children);
  const samples = new Float64Array(calls);
  for (let i = 0; i < calls; i += 1) {
    const f = facts[warmup + i];
    const started = performance.now();
    strategy.plan(f, children);
    samples[i] = (performance.now() - started) * 1000;
  }
  samples.sort();
  return { p50_us: round3(percentile(samples, 50)), p99_us: round3(percentile(samples, 99)), calls, children: leaves.length };
}
