// Throughput: the highest create-payment rate each server sustains with < 1 % errors and a tail
// latency (p99 in the full mode, p90 in the quick one: see MODES) under 100 ms, found by stepping a
// fixed arrival rate up (autocannon `overallRate`, corrected for coordinated omission), the
// servers taking turns at each step so they see the same machine. "Sustained" also means it kept
// up: at least 95 % of the offered requests completed. Each server is warmed up first (JIT, pool
// connections, caches), and a step lasts long enough to hold `minSamples` requests, so the judged
// percentile is not decided by one or two stragglers right after a start.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { cpuWindow } from './lib/db-cpu.mjs';
import { PAYMENT_JSON } from './lib/payment.mjs';

const MAX_ERROR_RATE = 0.01;
const MAX_TAIL_MS = 100;
const MIN_DELIVERED = 0.95;

export const criteriaText = (judgeOn) => `errors < 1 %, ${judgeOn} < 100 ms, >= 95 % of offered requests completed`;

const portsOf = (server) => server.ports ?? [server.port];
const round = (v, digits = 3) => (v === null || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));

/**
 * One fixed-rate step against `server` ({name, port | ports, apiKey, pids?, child?, backends?}).
 * With several ports the connections are spread over them round-robin (autocannon's multi-url).
 */
export async function step(server, rateRps, { stepMs, minSamples = 0, judgeOn = 'p99' }) {
  const ports = portsOf(server);
  // Enough connections that each carries ~10 req/s: a connection blocks on its response, so it
  // can keep its share of the rate as long as responses take < 100 ms (the tail limit).
  const wanted = Math.min(256, Math.max(8, Math.ceil(rateRps / 10)));
  const connections = Math.ceil(wanted / ports.length) * ports.length;
  const durationMs = Math.max(stepMs, Math.ceil((minSamples / rateRps) * 1000));
  const cpu = await cpuWindow({ processPids: server.pids ?? [server.child.pid], backends: server.backends ?? null });
  const result = await autocannon({
    url: ports.map((port) => `http://127.0.0.1:${port}`),
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
  const spent = await cpu.end();
  const ok = result['2xx'];
  const total = ok + result.non2xx + result.errors + result.timeouts;
  const errorRate = total === 0 ? 1 : (result.non2xx + result.errors + result.timeouts) / total;
  const offered = rateRps * result.duration;
  const delivered = offered > 0 ? ok / offered : 0;
  const tail = judgeOn === 'p90' ? result.latency.p90 : result.latency.p99;
  const pass = errorRate < MAX_ERROR_RATE && tail < MAX_TAIL_MS && delivered >= MIN_DELIVERED;
  const perPayment = (ms) => (ms === null || ok === 0 ? null : round(ms / ok));
  const wallMs = result.duration * 1000;
  return {
    rate_rps: rateRps,
    achieved_rps: Math.round(ok / result.duration),
    samples: total, // completed requests (the histogram also holds coordinated-omission corrections)
    p50_ms: result.latency.p50,
    p90_ms: result.latency.p90,
    p99_ms: result.latency.p99,
    judged_on: judgeOn,
    error_rate: Math.round(errorRate * 10_000) / 10_000,
    delivered: Math.round(delivered * 1000) / 1000,
    connections,
    duration_ms: durationMs,
    // CPU ms per completed payment: the server process(es), their database's backends.
    server_cpu_ms_per_payment: perPayment(spent.servers_ms),
    db_cpu_ms_per_payment: perPayment(spent.database_ms),
    // Cores kept busy during the step (CPU ms / wall ms): servers, backends, generator, machine.
    cores_busy: {
      servers: round(spent.servers_ms / wallMs, 2),
      database: spent.database_ms === null ? null : round(spent.database_ms / wallMs, 2),
      generator: round(spent.generator_ms / wallMs, 2),
      machine: spent.machine_ms === null ? null : round(spent.machine_ms / wallMs, 2),
    },
    pass,
  };
}

const describe = (name, r) =>
  `  ${name.padEnd(9)} ${String(r.rate_rps).padStart(5)} req/s → ${r.achieved_rps} ok/s, ${r.samples} samples, p90 ${r.p90_ms} ms, p99 ${r.p99_ms} ms, errors ${(r.error_rate * 100).toFixed(2)} %`;

/**
 * @param {{servers: object[], settings: {startRps, factor, maxRps, stepMs, minSamples, judgeOn, warmupMs, retryOnFail: boolean|'first', bisections}, startRps?: number, log?: Function}} options
 *   `retryOnFail`: true retries any failed step once, 'first' only the first step (where a
 *   cold start hurts most). `startRps` overrides the settings' first step, `warmupRps` the warm-up's rate (default: the first step's).
 * @returns {Promise<Record<string, {max_rps: number, first_failed_rps: number|null, capped: boolean, warmup: object|null, steps: object[]}>>}
 */
export async function searchThroughput({ servers, settings, startRps = settings.startRps, warmupRps = startRps, log = () => {} }) {
  const state = new Map(servers.map((s) => [s.name, { best: 0, failedAt: null, steps: [], warmup: null }]));
  const stepSettings = { stepMs: settings.stepMs, minSamples: settings.minSamples ?? 0, judgeOn: settings.judgeOn ?? 'p99' };
  if (settings.warmupMs > 0) {
    for (const server of servers) {
      const warm = await step(server, warmupRps, { ...stepSettings, stepMs: settings.warmupMs, minSamples: 0 });
      state.get(server.name).warmup = warm;
      log(`${describe(server.name, warm)} (warm-up, not judged)`);
      await pause(500);
    }
  }
  const attempt = async (server, rate, isFirst) => {
    const s = state.get(server.name);
    let result = await step(server, rate, stepSettings);
    s.steps.push(result);
    const retry = settings.retryOnFail === true || (settings.retryOnFail === 'first' && isFirst);
    if (!result.pass && retry) {
      log(`${describe(server.name, result)} failed once, retrying`);
      await pause(1000);
      result = { ...(await step(server, rate, stepSettings)), retry: true };
      s.steps.push(result);
    }
    log(`${describe(server.name, result)} ${result.pass ? 'pass' : 'FAIL'} (${stepSettings.judgeOn})`);
    if (result.pass) s.best = Math.max(s.best, rate);
    else s.failedAt = s.failedAt === null ? rate : Math.min(s.failedAt, rate);
    await pause(500);
    return result.pass;
  };

  // Ladder: every server still passing takes the next step, in alternating order.
  let rate = startRps;
  let turn = 0;
  while (rate <= settings.maxRps) {
    const alive = servers.filter((s) => state.get(s.name).failedAt === null);
    if (alive.length === 0) break;
    const ordered = turn % 2 === 0 ? alive : [...alive].reverse();
    for (const server of ordered) await attempt(server, rate, turn === 0);
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
      await attempt(server, mid, false);
    }
  }
  return Object.fromEntries(
    [...state].map(([name, s]) => [
      name,
      { max_rps: s.best, first_failed_rps: s.failedAt, capped: s.failedAt === null, warmup: s.warmup, steps: s.steps },
    ]),
  );
}

/** The last attempt at each rate (a retried step counts by its retry). */
function finalStepByRate(steps) {
  const byRate = new Map();
  for (const s of steps) byRate.set(s.rate_rps, s);
  return byRate;
}

/**
 * `a` / `b` throughput, never silently missing. Both with a passing step: the ratio of their
 * sustained rates. Otherwise: the ratio of the requests each completed per second at the highest
 * rate both were offered, with `basis` saying so; null only when they share no step, and `basis` says that.
 */
export function throughputRatio(a, b, [nameA, nameB] = ['gateway', 'floor']) {
  if (a.max_rps > 0 && b.max_rps > 0) {
    return { ratio: round(a.max_rps / b.max_rps), basis: `max sustained req/s, ${nameA} / ${nameB}` };
  }
  const finalA = finalStepByRate(a.steps);
  const finalB = finalStepByRate(b.steps);
  const shared = [...finalA.keys()].filter((rate) => finalB.has(rate));
  const failing = [a.max_rps === 0 && nameA, b.max_rps === 0 && nameB].filter(Boolean).join(' and ');
  if (shared.length === 0) return { ratio: null, basis: `no step both ran (${failing} passed none)` };
  const rate = Math.max(...shared);
  const achievedB = finalB.get(rate).achieved_rps;
  return {
    ratio: achievedB > 0 ? round(finalA.get(rate).achieved_rps / achievedB) : null,
    basis: `${failing} passed no step: completed req/s at ${rate} req/s offered, the highest step both ran`,
  };
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
