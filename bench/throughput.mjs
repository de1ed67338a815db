// Throughput: the highest create-payment rate each server sustains with < 1 % errors and p99 <
// 100 ms, found by stepping a fixed arrival rate up (autocannon `overallRate`, corrected for
// coordinated omission), the gateway and the floor taking turns at each step so both see the same
// machine. "Sustained" also means it kept up: at least 95 % of the offered requests completed.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { PAYMENT_JSON } from './lib/payment.mjs';

const MAX_ERROR_RATE = 0.01;
const MAX_P99_MS = 100;
const MIN_DELIVERED = 0.95;

/** One fixed-rate step against `server`. */
export async function step(server, rateRps, durationMs) {
  // Enough connections that each carries ~10 req/s: a connection blocks on its response, so it
  // can keep its share of the rate as long as responses take < 100 ms (the p99 limit).
  const connections = Math.min(256, Math.max(8, Math.ceil(rateRps / 10)));
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections,
    overallRate: rateRps,
    duration: durationMs / 1000,
    timeout: 5,
    requests: [
      {
        method: 'POST',
        path: '/v1/payments',
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
        body: PAYMENT_JSON,
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }),
      },
    ],
  });
  const ok = result['2xx'];
  const total = ok + result.non2xx + result.errors + result.timeouts;
  const errorRate = total === 0 ? 1 : (result.non2xx + result.errors + result.timeouts) / total;
  const offered = rateRps * result.duration;
  const delivered = offered > 0 ? ok / offered : 0;
  const pass = errorRate < MAX_ERROR_RATE && result.latency.p99 < MAX_P99_MS && delivered >= MIN_DELIVERED;
  return {
    rate_rps: rateRps,
    achieved_rps: Math.round(ok / result.duration),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    error_rate: Math.round(errorRate * 10_000) / 10_000,
    delivered: Math.round(delivered * 1000) / 1000,
    connections,
    pass,
  };
}

/**
 * @param {{servers: object[], settings: {startRps, factor, maxRps, stepMs, retryOnFail, bisections}, log?: Function}} options
 * @returns {Promise<Record<string, {max_rps: number, steps: object[]}>>}
 */
export async function searchThroughput({ servers, settings, log = () => {} }) {
  const state = new Map(servers.map((s) => [s.name, { best: 0, failedAt: null, steps: [] }]));
  const attempt = async (server, rate) => {
    const s = state.get(server.name);
    let result = await step(server, rate, settings.stepMs);
    s.steps.push(result);
    if (!result.pass && settings.retryOnFail) {
      log(`  ${server.name.padEnd(8)} ${String(rate).padStart(5)} req/s → ${result.achieved_rps} ok/s, p99 ${result.p99_ms} ms, errors ${(result.error_rate * 100).toFixed(2)} % failed once, retrying`);
      await pause(1000);
      result = await step(server, rate, settings.stepMs);
      s.steps.push({ ...result, retry: true });
    }
    log(`  ${server.name.padEnd(8)} ${String(rate).padStart(5)} req/s → ${result.achieved_rps} ok/s, p99 ${result.p99_ms} ms, errors ${(result.error_rate * 100).toFixed(2)} % ${result.pass ? 'pass' : 'FAIL'}`);
    if (result.pass) s.best = Math.max(s.best, rate);
    else s.failedAt = s.failedAt === null ? rate : Math.min(s.failedAt, rate);
    await pause(500);
    return result.pass;
  };

  // Ladder: every server still passing takes the next step, in alternating order.
  let rate = settings.startRps;
  let turn = 0;
  while (rate <= settings.maxRps) {
    const alive = servers.filter((s) => state.get(s.name).failedAt === null);
    if (alive.length === 0) break;
    const ordered = turn % 2 === 0 ? alive : [...alive].reverse();
    for (const server of ordered) await attempt(server, rate);
    rate = Math.round(rate * settings.factor);
    turn += 1;
  }
  // Refine each server between its last pass and first failure.
  for (let b = 0; b < settings.bisections; b += 1) {
    for (const server of servers) {
      const s = state.get(server.name);
      if (s.failedAt === null || s.best === 0) continue;
      const mid = Math.round((s.best + s.failedAt) / 2);
      if (mid <= s.best || mid >= s.failedAt) continue;
      await attempt(server, mid);
    }
  }
  return Object.fromEntries(
    [...state].map(([name, s]) => [name, { max_rps: s.best, first_failed_rps: s.failedAt, capped: s.failedAt === null, steps: s.steps }]),
  );
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
