#!/usr/bin/env node
// `npm run bench:routing`: what the routing buys. The same seeded payment stream, over the same
// three simulator leaves whose markets shift mid-stream, through one root router per row:
// success-rate (with and without cascading one soft decline), weighted (equal), priority (config
// order), and an oracle that sends each payment to the leaf with the highest true approval rate
// for it at that moment. In-process (no HTTP, no database), sequential, latency 0. Prints a table
// and writes bench/results/routing.json. Not part of npm test.
//
//   npm run bench:routing -- --payments=20000 --seed=1 [--window-size=200 --min-samples=20] [--sweep]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { register } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { percentile, round3 } from './lib/stats.mjs';

// The sources import each other through package.json "imports" (#gateway-spi, …), whose TypeScript
// entries need the `source` condition: run again with it when started as plain `node bench/routing.mjs`.
if (import.meta.resolve('#gateway-spi').includes('/dist/')) {
  const again = spawnSync(process.execPath, ['--conditions=source', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}

register('../scripts/lib/ts-hooks.mjs', import.meta.url);
const { adapterCatalog } = await import('../libs/adapters/catalog.ts');
const spi = await import('../libs/gateway-spi/src/index.ts');
const { buildTree, changeMarket, SuccessRateStrategy, DEFAULT_SUCCESS_RATE } = await import('../libs/orchestration/src/index.ts');
const { approvalRateOf } = await import('../libs/adapters/simulator/src/simulator.market.ts');
const { isScriptedCard } = await import('../libs/adapters/simulator/src/test-cards.ts');
const { measureDecision } = await import('./routing/decision.mjs');
const { summarizeRow } = await import('./routing/metrics.mjs');
const { INITIAL_MARKETS, LEAF_IDS, marketTruth } = await import('./routing/scenario.mjs');
const { authorizeRequestOf, paymentStream } = await import('./routing/stream.mjs');
const trees = await import('./routing/trees.mjs');

const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const numberFlag = (name, fallback) => (flag(name) === undefined ? fallback : Number(flag(name)));
const PAYMENTS = numberFlag('payments', 20_000);
const SEED = numberFlag('seed', 1);
const SETTLE = numberFlag('settle', 1_000);
const MOVED_WINDOW = numberFlag('moved-window', 100);
const SWEEP = process.argv.includes('--sweep');
const OUT = flag('out') ?? new URL('./results/routing.json', import.meta.url).pathname;
const settingsOver = {
  ...(flag('window-size') !== undefined && { window_size: numberFlag('window-size') }),
  ...(flag('min-samples') !== undefined && { min_samples: numberFlag('min-samples') }),
  ...(flag('exploration') !== undefined && { exploration: numberFlag('exploration') }),
};
const SR_BLOCK = trees.successRateBlock(SEED, settingsOver);
const TARGETS = { gap_to_oracle_points: 1, moved_after_payments: 500, decision_p50_us: 20 };

const started = new Date();
const loadAtStart = loadavg().map((x) => round3(x));
const stream = paymentStream({ count: PAYMENTS, seed: SEED, isScripted: isScriptedCard });
if (stream.some((p) => !spi.isLuhnValid(p.cardNumber))) throw new Error('bench stream: a generated card is not Luhn-valid');
const truth = marketTruth({ payments: PAYMENTS, seed: SEED, parseMarket: spi.parseMarket, approvalRateOf });
const leafIndex = new Map(LEAF_IDS.map((id, k) => [id, k]));
const ctx = () => spi.contextWithTimeout(5_000, { traceId: 'bench-routing' });

/** Sends the stream through one fresh tree; `route` replaces the root's authorize (the oracle). */
async function runRow({ config, route }) {
  const tree = buildTree(config, adapterCatalog);
  const approved = new Uint8Array(PAYMENTS);
  const firstLeaf = new Uint8Array(PAYMENTS);
  const attempts = new Uint8Array(PAYMENTS);
  const authorizeUs = new Float64Array(PAYMENTS);
  let nextShift = 0;
  for (const payment of stream) {
    const shift = truth.shifts[nextShift];
    if (shift && payment.index === shift.index) {
      const changed = await changeMarket(tree, shift.leaf, shift.resolved);
      if (!changed.ok) throw new Error(`market shift of ${shift.leaf}: ${changed.message}`);
      nextShift += 1;
    }
    const request = authorizeRequestOf(payment, spi);
    const t0 = performance.now();
    const outcome = route ? await route(tree, request, payment) : await tree.root.authorize(request, ctx());
    authorizeUs[payment.index] = (performance.now() - t0) * 1000;
    if (outcome.outcome !== 'approved' && outcome.outcome !== 'declined') throw new Error(`payment ${payment.index}: ${outcome.outcome} ${outcome.code}: ${outcome.message}`);
    approved[payment.index] = outcome.outcome === 'approved' ? 1 : 0;
    firstLeaf[payment.index] = leafIndex.get(outcome.attempts[0].path.at(-1));
    attempts[payment.index] = outcome.attempts.length;
  }
  authorizeUs.sort();
  return { approved, firstLeaf, attempts, authorize_p50_us: round3(percentile(authorizeUs, 50)), authorize_p99_us: round3(percentile(authorizeUs, 99)) };
}

const oracleRoute = (tree, request, payment) => tree.nodes.get(truth.bestLeafOf(payment)).authorize(request, ctx());
const ROWS = [
  { key: 'success_rate', what: 'success-rate root, no cascade', config: trees.successRateTree(SEED, { settings: SR_BLOCK }) },
  { key: 'success_rate_cascade', what: 'the same, cascade max_attempts 1', config: trees.successRateTree(SEED, { settings: SR_BLOCK, cascade: { max_attempts: 1 } }) },
  { key: 'weighted', what: 'weighted 1/1/1', config: trees.weightedTree(SEED), fixedSplit: true },
  { key: 'priority', what: 'priority sim-a, sim-b, sim-c', config: trees.priorityTree(SEED), fixedSplit: true },
  { key: 'oracle', what: 'best true rate per payment', config: trees.leavesOnlyTree(SEED), route: oracleRoute },
];
const shape = { shifts: truth.shifts, settle: SETTLE, movedWindow: MOVED_WINDOW, leafIds: LEAF_IDS };
const rows = {};
for (const row of ROWS) {
  const record = await runRow(row);
  const summary = summarizeRow(record, shape);
  // A fixed split never moves: its "moved" would read noise in equal shares (weighted) or never (priority).
  if (row.fixedSplit) for (const key of ['moved_after_payments', 'first_below_after_payments']) summary[key] = summary[key].map(() => 'fixed split');
  rows[row.key] = { what: row.what, ...summary, authorize_p50_us: record.authorize_p50_us, authorize_p99_us: record.authorize_p99_us };
}

const sweep = [];
if (SWEEP) {
  for (const windowSize of [100, 200, 500]) {
    for (const minSamples of [10, 20, 50]) {
      const block = trees.successRateBlock(SEED, { window_size: windowSize, min_samples: minSamples });
      const summary = summarizeRow(await runRow({ config: trees.successRateTree(SEED, { settings: block }) }), shape);
      sweep.push({ window_size: windowSize, min_samples: minSamples, approval: summary.approval, approval_steady: summary.approval_steady, moved_after_payments: summary.moved_after_payments });
    }
  }
}

const decision = measureDecision({ SuccessRateStrategy, DEFAULT_SUCCESS_RATE, block: SR_BLOCK, leaves: LEAF_IDS.map((id) => ({ id })), calls: 20_000, warmup: 2_000, seed: SEED });

const points = (a, b) => (a === null || b === null ? null : round3((a - b) * 100));
const sr = rows.success_rate;
const oracle = rows.oracle;
const gapPoints = points(oracle.approval_steady, sr.approval_steady);
const moved = sr.moved_after_payments[0];
const result = {
  approval: Object.fromEntries(['success_rate', 'weighted', 'priority', 'oracle', 'success_rate_cascade'].map((key) => [key, rows[key].approval])),
  approval_steady: Object.fromEntries(Object.entries(rows).map(([key, row]) => [key, row.approval_steady])),
  cascade_uplift_points: points(rows.success_rate_cascade.approval, sr.approval),
  cascade_uplift_steady_points: points(rows.success_rate_cascade.approval_steady, sr.approval_steady),
  gap_to_oracle_steady_points: gapPoints,
  moved_after_payments: moved,
  moved_after_second_shift_payments: sr.moved_after_payments[1] ?? null,
  first_below_after_payments: sr.first_below_after_payments,
  decision_p50_us: decision.p50_us,
  decision_p99_us: decision.p99_us,
  authorize_p50_us: sr.authorize_p50_us,
  authorize_p99_us: sr.authorize_p99_us,
  payments: PAYMENTS,
  seed: SEED,
  targets: {
    ...TARGETS,
    met: { gap_to_oracle: gapPoints !== null && gapPoints <= TARGETS.gap_to_oracle_points, moved: moved !== null && moved <= TARGETS.moved_after_payments, decision: decision.p50_us <= TARGETS.decision_p50_us },
  },
  rows,
  ...(SWEEP && { sweep }),
  settings: {
    success_rate: SR_BLOCK,
    cascade: { max_attempts: 1 },
    steady_state: `all payments except the first ${SETTLE} and the ${SETTLE} after each shift`,
    moved_window: MOVED_WINDOW,
    moved_definition: `payments after the shift until the dropped leaf's share of first attempts over the trailing ${MOVED_WINDOW} payments is below the new best leaf's for good (until the next shift)`,
    markets: { initial: INITIAL_MARKETS, shifts: truth.shifts.map(({ index, leaf, market, newBest }) => ({ index, leaf, market, new_best: newBest })) },
    decision: { calls: decision.calls, children: decision.children, window: 'full in every segment' },
  },
  meta: { started_at: started.toISOString(), node: process.version, cpus: cpus().length, cpu_model: cpus()[0]?.model, load_at_start: loadAtStart, load_at_end: loadavg().map((x) => round3(x)), seconds: round3((Date.now() - started.getTime()) / 1000) },
};

printTable(result);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\nwrote ${OUT}`);

function printTable(r) {
  const pct = (v) => (v === null ? '—' : (v * 100).toFixed(2));
  const headers = ['row', 'approval %', 'steady %', 'phase 1/2/3 steady %', 'moved after', 'attempts/pay', 'what'];
  const body = Object.entries(r.rows).map(([key, row]) => [
    key,
    pct(row.approval),
    pct(row.approval_steady),
    row.approval_steady_by_phase.map(pct).join(' / '),
    row.moved_after_payments.map((m) => m ?? 'never').join(' / '),
    row.attempts_per_payment.toFixed(3),
    row.what,
  ]);
  const cells = [headers, ...body];
  const widths = headers.map((_, i) => Math.max(...cells.map((c) => String(c[i]).length)));
  const line = (c) => `  ${c.map((v, i) => (i === 0 || i === c.length - 1 ? String(v).padEnd(widths[i]) : String(v).padStart(widths[i]))).join('  ')}`;
  const [first, second] = r.settings.markets.shifts;
  console.log(`\n=== routing: ${r.payments} payments, seed ${r.seed}; ${first.leaf} drops at ${first.index}, ${second.leaf} at ${second.index} (${r.meta.seconds} s)`);
  console.log(`    ${r.meta.cpus} CPU(s), load ${r.meta.load_at_start.join(' ')} at start; steady = ${r.settings.steady_state}`);
  console.log(`    moved after = ${r.settings.moved_definition} (first / second shift)`);
  console.log(line(headers));
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const c of body) console.log(line(c));
  const verdict = (ok) => (ok ? 'ok' : 'MISSED');
  console.log('\n  figure                              value     target');
  console.log(`  success_rate gap to oracle (steady)  ${String(r.gap_to_oracle_steady_points).padStart(6)} pt  ≤ ${TARGETS.gap_to_oracle_points} pt   ${verdict(r.targets.met.gap_to_oracle)}`);
  console.log(`  moved_after_payments                 ${String(r.moved_after_payments ?? 'never').padStart(6)}     ≤ ${TARGETS.moved_after_payments}     ${verdict(r.targets.met.moved)}   (first below after ${r.first_below_after_payments[0] ?? 'never'}; second shift ${r.moved_after_second_shift_payments ?? 'never'})`);
  console.log(`  decision_p50_us (plan alone)         ${String(r.decision_p50_us).padStart(6)} µs  ≤ ${TARGETS.decision_p50_us} µs  ${verdict(r.targets.met.decision)}   (p99 ${r.decision_p99_us} µs)`);
  console.log(`  cascade_uplift_points                ${String(r.cascade_uplift_points).padStart(6)} pt  (steady ${r.cascade_uplift_steady_points} pt)`);
  console.log(`  authorize p50 / p99 (success_rate)   ${r.authorize_p50_us} / ${r.authorize_p99_us} µs in-process, whole tree`);
  if (r.sweep) {
    console.log('\n  sweep (success_rate, no cascade)     approval %  steady %  gap pt  moved after');
    for (const s of r.sweep) {
      const gap = round3((r.rows.oracle.approval_steady - s.approval_steady) * 100);
      console.log(`  window_size ${String(s.window_size).padStart(3)}, min_samples ${String(s.min_samples).padStart(2)}   ${pct(s.approval).padStart(8)}  ${pct(s.approval_steady).padStart(8)}  ${String(gap).padStart(6)}  ${s.moved_after_payments.map((m) => m ?? 'never').join(' / ')}`);
    }
  }
}
