#!/usr/bin/env node
// Fan-out benchmark (`npm run bench:fanout`): a lowest-cost router scatters quotes to 32 children
// that each take 50 ms to answer, and aggregates them; scatter-gather should cost about one child's
// time, not 32 of them. Compares the p50 of `router.quote()` over 32 children with the p50 over one
// child, in-process (fake leaves, no HTTP, no database), and fails when the ratio exceeds the target.
//   node --conditions=source bench/fanout.mjs [--children=32] [--latency=50] [--iterations=40] [--target=1.2]
import { register } from 'node:module';
import { parseArgs } from 'node:util';

register('../scripts/lib/ts-hooks.mjs', import.meta.url);
const { RouterNode, LowestCostStrategy } = await import('#orchestration');
const { contextWithTimeout } = await import('#gateway-spi');

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '32' },
    latency: { type: 'string', default: '50' },
    iterations: { type: 'string', default: '40' },
    target: { type: 'string', default: '1.2' },
  },
});
const CHILDREN = Number(values.children);
const LATENCY_MS = Number(values.latency);
const ITERATIONS = Number(values.iterations);
const TARGET = Number(values.target);

/** A leaf that quotes after `latencyMs` (or gives up when its deadline passes); nothing else is used here. */
function slowLeaf(id, fee, latencyMs) {
  const capabilities = { currencies: ['EUR'], paymentMethods: ['card'], countries: null, partialCapture: true, multipleRefunds: true };
  const unused = () => Promise.reject(new Error('not used by the fan-out benchmark'));
  return {
    id,
    describe: () => ({ id, kind: 'adapter', type: 'bench', capabilities }),
    quote: (_request, ctx) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ eligible: true, fee, path: [id], reason: `fee ${fee}` }), latencyMs);
        ctx.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
      }),
    health: async () => ({ id, status: 'up' }),
    authorize: unused,
    capture: unused,
    void: unused,
    refund: unused,
    status: unused,
  };
}

function lowestCostRouter(children) {
  const leaves = Array.from({ length: children }, (_, i) => slowLeaf(`leaf-${i}`, 100 + ((i * 37) % children), LATENCY_MS));
  return new RouterNode({ id: `lc-${children}`, strategy: new LowestCostStrategy(), children: leaves, quoteTimeoutMs: 10 * LATENCY_MS + 1000 });
}

const facts = { amount: 1000, currency: 'EUR', method: 'card', paymentId: 'pay_bench' };

async function measure(router) {
  const samples = [];
  for (let i = 0; i < ITERATIONS + 5; i++) {
    const ctx = contextWithTimeout(10_000, { traceId: 'bench' });
    const started = performance.now();
    const quote = await router.quote(facts, ctx);
    const elapsed = performance.now() - started;
    if (!quote.eligible) throw new Error(`${router.id} did not quote: ${quote.reason}`);
    if (i >= 5) samples.push(elapsed); // the first few warm the code up
  }
  samples.sort((a, b) => a - b);
  const at = (p) => samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)];
  return { p50: at(50), p90: at(90), max: samples.at(-1) };
}

const one = await measure(lowestCostRouter(1));
const many = await measure(lowestCostRouter(CHILDREN));
const ratio = many.p50 / one.p50;
const ms = (value) => `${value.toFixed(1)} ms`;
console.log(`fan-out: quotes through a lowest-cost router, children answering after ${LATENCY_MS} ms, ${ITERATIONS} runs each`);
console.log(`  1 child:     p50 ${ms(one.p50)}  p90 ${ms(one.p90)}  max ${ms(one.max)}`);
console.log(`  ${String(CHILDREN).padEnd(2)} children: p50 ${ms(many.p50)}  p90 ${ms(many.p90)}  max ${ms(many.max)}`);
console.log(`  ratio (p50 ${CHILDREN} / p50 1): ${ratio.toFixed(3)}  (target ≤ ${TARGET}) ${ratio <= TARGET ? 'OK' : 'ABOVE TARGET'}`);
if (ratio > TARGET) process.exitCode = 1;
