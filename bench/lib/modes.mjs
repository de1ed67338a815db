// The three sizes of a run. `full` is what the closing numbers come from; `quick` stays under two
// minutes; `smoke` only proves the harness works end to end (1-second stages, meaningless numbers).

export const MODES = {
  full: {
    overhead: { rateRps: 25, warmupPayments: 4000, warmupMs: 3000, rounds: 4, roundMs: 16_000 },
    // p99 judged on >= 500 samples per step (5 beyond the p99), after a 5 s warm-up per server.
    throughput: { startRps: 25, factor: 1.3, maxRps: 8000, stepMs: 5000, minSamples: 500, judgeOn: 'p99', warmupMs: 5000, retryOnFail: true, bisections: 2 },
    scaleOut: { startRps: 25, factor: 1.3, maxRps: 8000, stepMs: 5000, minSamples: 500, judgeOn: 'p99', warmupMs: 3000, retryOnFail: true, bisections: 2 },
    depth: { depths: [1, 2, 4, 8], warmup: 5000, calls: 30_000 },
    prismaVsPg: { warmup: 100, iterations: 1000, blocks: 4 },
    profile: { rateRps: 50, warmupPayments: 4000, warmupMs: 2000, durationMs: 10_000 },
  },
  quick: {
    overhead: { rateRps: 25, warmupPayments: 1000, warmupMs: 1000, rounds: 2, roundMs: 6000 },
    // Too short for an honest p99: quick steps are judged on p90 (>= 200 samples, 20 beyond it;
    // p99 still recorded), from 50 req/s (200 samples at 25 would take 8 s) after a 3 s warm-up,
    // retrying a failed first step.
    throughput: { startRps: 50, factor: 1.8, maxRps: 8000, stepMs: 2000, minSamples: 200, judgeOn: 'p90', warmupMs: 3000, retryOnFail: 'first', bisections: 1 },
    scaleOut: { startRps: 50, factor: 1.6, maxRps: 8000, stepMs: 2000, minSamples: 200, judgeOn: 'p90', warmupMs: 2000, retryOnFail: 'first', bisections: 1 },
    depth: { depths: [1, 2, 4, 8], warmup: 2000, calls: 10_000 },
    prismaVsPg: { warmup: 30, iterations: 200, blocks: 2 },
    profile: { rateRps: 50, warmupPayments: 1000, warmupMs: 1000, durationMs: 3000 },
  },
  smoke: {
    overhead: { rateRps: 50, warmupPayments: 20, warmupMs: 300, rounds: 1, roundMs: 1000 },
    throughput: { startRps: 50, factor: 2, maxRps: 100, stepMs: 1000, minSamples: 0, judgeOn: 'p99', warmupMs: 500, retryOnFail: false, bisections: 0 },
    scaleOut: { startRps: 50, factor: 2, maxRps: 100, stepMs: 1000, minSamples: 0, judgeOn: 'p99', warmupMs: 500, retryOnFail: false, bisections: 0 },
    depth: { depths: [1, 2, 4, 8], warmup: 100, calls: 500 },
    prismaVsPg: { warmup: 5, iterations: 20, blocks: 1 },
    profile: { rateRps: 50, warmupPayments: 20, warmupMs: 300, durationMs: 1000 },
  },
};

/** Parses `--quick`, `--smoke`, `--no-build`, `--no-profile`, `--only=a,b`, `--out=path`, `--rate=N`, `--root=dir`. */
export function parseArgs(argv) {
  const flags = new Set(argv.filter((a) => a.startsWith('--') && !a.includes('=')));
  const valued = Object.fromEntries(
    argv.filter((a) => a.startsWith('--') && a.includes('=')).map((a) => {
      const [k, ...v] = a.slice(2).split('=');
      return [k, v.join('=')];
    }),
  );
  const known = new Set(['--quick', '--smoke', '--no-build', '--no-profile', '--help']);
  const unknown = [...flags].filter((f) => !known.has(f));
  const knownValued = new Set(['only', 'out', 'rate', 'root']);
  unknown.push(...Object.keys(valued).filter((k) => !knownValued.has(k)).map((k) => `--${k}=`));
  const mode = flags.has('--smoke') ? 'smoke' : flags.has('--quick') ? 'quick' : 'full';
  const settings = structuredClone(MODES[mode]);
  if (valued.rate) settings.overhead.rateRps = Number(valued.rate);
  return {
    mode,
    settings,
    help: flags.has('--help'),
    unknown,
    build: !flags.has('--no-build'),
    profile: !flags.has('--no-profile') && settings.profile !== null,
    only: valued.only ? new Set(valued.only.split(',')) : null,
    out: valued.out,
    root: valued.root,
  };
}
