// Depth: the same payment through in-process trees whose route path has 1, 2, 4 and 8 nodes
// (nested priority routers over one simulator leaf, built by the built buildTree + catalog),
// called one after another after a warm-up. The slope of p50 over depth is what one level adds.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { dist } from './lib/dist.mjs';
import { authorizeRequest, chainTreeConfig } from './lib/payment.mjs';
import { round3, slope, summarizeMicros } from './lib/stats.mjs';

export async function measureDepth({ settings }) {
  const [{ buildTree }, { adapterCatalog }, spi] = await Promise.all([dist.orchestration(), dist.catalog(), dist.gatewaySpi()]);
  const run = randomBytes(4).toString('hex');
  const trees = new Map(settings.depths.map((depth) => [depth, buildTree(chainTreeConfig(depth), adapterCatalog)]));
  const call = async (depth, i) => {
    const tree = trees.get(depth);
    const request = authorizeRequest(`pay_depth_${run}_${depth}_${i}`, spi);
    const ctx = spi.contextWithTimeout(10_000, { traceId: `depth-${i}` });
    const started = performance.now();
    const outcome = await tree.root.authorize(request, ctx);
    const us = (performance.now() - started) * 1000;
    if (outcome.outcome !== 'approved' || outcome.path.length !== depth) {
      throw new Error(`depth ${depth}: unexpected outcome ${outcome.outcome} via ${outcome.path.join('/')}`);
    }
    return us;
  };
  for (const depth of settings.depths) for (let i = 0; i < settings.warmup; i += 1) await call(depth, -i - 1);
  // Interleave depths in small blocks so drift (GC, other processes) is shared.
  const samples = new Map(settings.depths.map((d) => [d, []]));
  const block = 500;
  for (let done = 0; done < settings.calls; done += block) {
    for (const depth of settings.depths) {
      for (let i = done; i < Math.min(settings.calls, done + block); i += 1) samples.get(depth).push(await call(depth, i));
    }
  }
  const rows = settings.depths.map((depth) => {
    const s = summarizeMicros(samples.get(depth));
    return { depth, p50_ms: s.p50_ms, p99_ms: s.p99_ms, p50_us: round3(s.p50_ms * 1000), p99_us: round3(s.p99_ms * 1000) };
  });
  const perLevelP50Us = round3(slope(rows.map((r) => ({ x: r.depth, y: r.p50_ms * 1000 }))));
  const perLevelP99Us = round3(slope(rows.map((r) => ({ x: r.depth, y: r.p99_ms * 1000 }))));
  return { rows, per_level_p50_us: perLevelP50Us, per_level_p99_us: perLevelP99Us, calls_per_depth: settings.calls };
}
