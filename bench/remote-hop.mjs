#!/usr/bin/env node
// `npm run bench:remote`: the latency one remote hop adds, over TCP and over NATS, next to the
// in-process call, measured side by side in one run. The subtree is one sandbox leaf; the in-process
// row calls it directly, the remote rows call a RemoteNode whose node-host is a real child process
// (apps/node-host from source). Sequential calls after a warm-up, interleaved in rounds so drift
// hits every row alike. Prints a table and writes bench/results/remote.json. Not part of npm test.
//
//   npm run bench:remote -- --n=2000 --warmup=200 --rounds=4
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { register } from 'node:module';
import { percentile, round3 } from './lib/stats.mjs';

register('../scripts/lib/ts-hooks.mjs', import.meta.url);
const { Logger } = await import('@nestjs/common');
Logger.overrideLogger(['error', 'warn']);
const { adapterCatalog } = await import('../libs/adapters/catalog.ts');
const { attemptIdFor, contextWithTimeout, maskCard } = await import('../libs/gateway-spi/src/index.ts');
const { buildTree } = await import('../libs/orchestration/src/index.ts');
const { RemoteNode } = await import('../libs/remote/src/index.ts');
const { startNodeHostProcess } = await import('../test/support/node-host-process.ts');
const { requireNats, uniqueSubject } = await import('../test/support/nats.ts');

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const N = arg('n', 2000);
const WARMUP = arg('warmup', 200);
const ROUNDS = arg('rounds', 4);

const subtree = { root: { id: 'leaf', type: 'simulator' } };
const card = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };
let seq = 0;
const authorizeRequest = () => {
  const paymentId = `pay_bench${process.pid}x${++seq}`;
  return {
    paymentId,
    attemptId: attemptIdFor(paymentId, 1),
    attemptSeq: 1,
    merchantId: 'mer_bench',
    amount: 1000,
    currency: 'EUR',
    capture: false,
    paymentMethod: { type: 'card', card, display: maskCard(card) },
    metadata: {},
  };
};
const quoteRequest = { amount: 1000, currency: 'EUR', method: 'card', paymentId: 'pay_bench_quote' };
const ctx = () => contextWithTimeout(5_000, { traceId: 'bench' });

const OPERATIONS = {
  quote: async (node) => {
    const quote = await node.quote(quoteRequest, ctx());
    if (!quote.eligible) throw new Error(`quote not eligible: ${quote.reason}`);
  },
  authorize: async (node) => {
    const outcome = await node.authorize(authorizeRequest(), ctx());
    if (outcome.outcome !== 'approved') throw new Error(`authorize ${outcome.outcome}: ${outcome.message}`);
  },
};

const started = new Date();
const loadAtStart = loadavg().map((x) => round3(x));
const natsUrl = await requireNats();
const hosts = [];
const targets = [{ name: 'in-process', node: buildTree(subtree, adapterCatalog).root }];
try {
  const tcpHost = await startNodeHostProcess({ tree: subtree, transport: 'tcp' });
  hosts.push(tcpHost);
  targets.push({ name: 'remote tcp', node: new RemoteNode({ id: 'far', target: tcpHost.target }) });
  if (natsUrl) {
    const natsHost = await startNodeHostProcess({ tree: subtree, transport: 'nats', natsUrl, subject: uniqueSubject('bench') });
    hosts.push(natsHost);
    targets.push({ name: 'remote nats', node: new RemoteNode({ id: 'far', target: natsHost.target }) });
  } else {
    console.warn('NATS is unreachable: measuring TCP only.');
  }
  for (const { node } of targets) await node.open?.();

  const samples = {};
  for (const [op, call] of Object.entries(OPERATIONS)) {
    for (const target of targets) {
      samples[`${op} ${target.name}`] = [];
      for (let i = 0; i < WARMUP; i++) await call(target.node);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) {
        const into = samples[`${op} ${target.name}`];
        for (let i = 0; i < Math.ceil(N / ROUNDS); i++) {
          const t0 = performance.now();
          await call(target.node);
          into.push((performance.now() - t0) * 1000);
        }
      }
    }
  }

  const summary = (us) => {
    const sorted = Float64Array.from(us).sort();
    return { n: sorted.length, p50_ms: round3(percentile(sorted, 50) / 1000), p90_ms: round3(percentile(sorted, 90) / 1000), p99_ms: round3(percentile(sorted, 99) / 1000) };
  };
  const rows = [];
  for (const op of Object.keys(OPERATIONS)) {
    const base = summary(samples[`${op} in-process`]);
    for (const target of targets) {
      const s = summary(samples[`${op} ${target.name}`]);
      rows.push({
        operation: op,
        path: target.name,
        ...s,
        added_p50_ms: target.name === 'in-process' ? null : round3(s.p50_ms - base.p50_ms),
        added_p99_ms: target.name === 'in-process' ? null : round3(s.p99_ms - base.p99_ms),
      });
    }
  }

  const headers = ['operation', 'path', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'added p50 ms', 'added p99 ms'];
  const cells = [headers, ...rows.map((r) => [r.operation, r.path, r.n, r.p50_ms, r.p90_ms, r.p99_ms, r.added_p50_ms ?? '—', r.added_p99_ms ?? '—'].map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c) => `  ${c.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ')}`;
  console.log(`\n=== one remote hop (node-host as a child process; ${N} sequential calls per row after ${WARMUP} warm-up, ${ROUNDS} interleaved rounds)`);
  console.log(`    ${cpus().length} CPU(s), load ${loadAtStart.join(' ')} at start, ${loadavg().map((x) => round3(x)).join(' ')} at end`);
  console.log(line(cells[0]));
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const c of cells.slice(1)) console.log(line(c));

  const result = {
    meta: {
      started_at: started.toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model,
      load_at_start: loadAtStart,
      load_at_end: loadavg().map((x) => round3(x)),
      calls_per_row: N,
      warmup: WARMUP,
      rounds: ROUNDS,
      subtree: 'one sandbox leaf; remote rows go through a RemoteNode to apps/node-host in a child process',
      nats: natsUrl ?? null,
    },
    rows,
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/remote.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  console.log('\nwrote bench/results/remote.json');
} finally {
  for (const { node } of targets) await node.close?.();
  await Promise.all(hosts.map((host) => host.stop('SIGTERM')));
}
