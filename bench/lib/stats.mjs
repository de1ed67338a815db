// Percentiles of latency samples recorded in microseconds, reported in milliseconds (floats).

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** p50/p90/p99/max/mean (ms, 3 decimals) of microsecond samples. */
export function summarizeMicros(samplesUs) {
  const sorted = Float64Array.from(samplesUs).sort();
  const ms = (us) => round3(us / 1000);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    p50_ms: ms(percentile(sorted, 50)),
    p90_ms: ms(percentile(sorted, 90)),
    p99_ms: ms(percentile(sorted, 99)),
    max_ms: ms(sorted.length ? sorted[sorted.length - 1] : NaN),
    mean_ms: ms(sorted.length ? sum / sorted.length : NaN),
  };
}

export function round3(value) {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null;
}

/** Least-squares slope of y over x. */
export function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
