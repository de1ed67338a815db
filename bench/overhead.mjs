// Overhead: the same payments, at the same fixed arrival rate, (a) straight to a simulator leaf in
// this process (no HTTP, no database: what the provider call itself costs), (b) to the floor
// server and (c) through the full gateway (HTTP, auth, validation, idempotency, two commits, a
// depth-3 tree). Rounds alternate the targets so machine noise hits all three alike.
import { randomBytes } from 'node:crypto';
import { backToBack, httpPoster, openLoop } from './open-loop.mjs';
import { dist } from './lib/dist.mjs';
import { authorizeRequest, PAYMENT_JSON } from './lib/payment.mjs';
import { summarizeMicros, round3 } from './lib/stats.mjs';
import { cpuMsOf } from './lib/proc-cpu.mjs';
import { GATEWAY_TREE_DEPTH } from './lib/servers.mjs';

/** In-process sender: one authorize on a fresh simulator leaf per call, as the tree's last hop does. */
async function directSender() {
  const [{ simulatorAdapter }, spi] = await Promise.all([dist.simulator(), dist.gatewaySpi()]);
  const leaf = simulatorAdapter.create('leaf', {});
  const run = randomBytes(4).toString('hex');
  return {
    send: async (i) => {
      const request = authorizeRequest(`pay_direct_${run}_${i}`, spi);
      const ctx = spi.contextWithTimeout(10_000, { traceId: `direct-${i}` });
      const outcome = await leaf.authorize(request, ctx);
      return outcome.outcome === 'approved';
    },
    close() {},
  };
}

function serverSender(server, tag) {
  const run = randomBytes(4).toString('hex');
  const poster = httpPoster({
    port: server.port,
    path: '/v1/payments',
    body: PAYMENT_JSON,
    headersFor: (i) => ({ authorization: `Bearer ${server.apiKey}`, 'idempotency-key': `bench-${tag}-${run}-${i}` }),
  });
  return poster;
}

/**
 * @param {{gateway: object, floor: object, settings: {rateRps: number, warmupPayments: number, warmupMs: number, rounds: number, roundMs: number}, log?: (s: string) => void}} options
 */
export async function measureOverhead({ gateway, floor, settings, log = () => {} }) {
  const targets = {
    direct: await directSender(),
    floor: serverSender(floor, 'floor'),
    gateway: serverSender(gateway, 'gateway'),
  };
  const samples = { direct: [], floor: [], gateway: [] };
  // The gateway's own Server-Timing of its recorded answers: its time and the tree's, in ms.
  const serverTiming = { gatewayMs: [], treeMs: [] };
  const lag = [];
  const errors = { direct: 0, floor: 0, gateway: 0 };
  const cpu = { floor: { ms: 0, requests: 0 }, gateway: { ms: 0, requests: 0 } };
  const pids = { floor: floor.child.pid, gateway: gateway.child.pid };
  let offset = 0;
  const run = async (name, durationMs, record) => {
    const sender = targets[name];
    const base = offset;
    offset += 1_000_000;
    const cpuBefore = pids[name] ? cpuMsOf(pids[name]) : null;
    const result = await openLoop({ rateRps: settings.rateRps, durationMs, send: (i) => sender.send(base + i) });
    const cpuAfter = pids[name] ? cpuMsOf(pids[name]) : null;
    const timings = sender.takeServerTimings?.();
    if (record && timings) {
      serverTiming.gatewayMs.push(...timings.gatewayMs);
      serverTiming.treeMs.push(...timings.treeMs);
    }
    if (record && cpuBefore !== null && cpuAfter !== null) {
      cpu[name].ms += cpuAfter - cpuBefore;
      cpu[name].requests += result.sent;
    }
    if (record) {
      samples[name].push(result.latenciesUs);
      lag.push(result.lagUs);
      errors[name] += result.errors;
    } else if (result.errors > 0 && name !== 'direct') {
      log(`  warm-up ${name}: ${result.errors} errors (last: ${sender.lastError?.()})`);
    }
  };
  // The JIT warm-up (backToBack), then an open-loop one that settles each server into the rounds' rhythm.
  const burst = async (name, count) => {
    const sender = targets[name];
    const base = offset;
    offset += 1_000_000;
    await backToBack({ count, send: (i) => sender.send(base + i) });
    sender.takeServerTimings?.();
  };
  try {
    for (const name of ['direct', 'floor', 'gateway']) {
      await burst(name, settings.warmupPayments);
      await run(name, settings.warmupMs, false);
    }
    const order = ['direct', 'floor', 'gateway'];
    for (let round = 0; round < settings.rounds; round += 1) {
      const rotated = [...order.slice(round % 3), ...order.slice(0, round % 3)];
      for (const name of rotated) await run(name, settings.roundMs, true);
      log(`  overhead round ${round + 1}/${settings.rounds} done`);
    }
  } finally {
    for (const t of Object.values(targets)) t.close();
  }
  const flat = (arrays) => Float64Array.from(arrays.flatMap((a) => Array.from(a)));
  const direct = summarizeMicros(flat(samples.direct));
  const floorStats = summarizeMicros(flat(samples.floor));
  const gatewayStats = summarizeMicros(flat(samples.gateway));
  const lagStats = summarizeMicros(flat(lag));
  const msStats = (values) => summarizeMicros(Float64Array.from(values, (ms) => ms * 1000));
  const ownTime = msStats(serverTiming.gatewayMs);
  const treeTime = msStats(serverTiming.treeMs);
  return {
    direct_p50_ms: direct.p50_ms,
    direct_p99_ms: direct.p99_ms,
    gateway_p50_ms: gatewayStats.p50_ms,
    gateway_p99_ms: gatewayStats.p99_ms,
    added_p50_ms: round3(gatewayStats.p50_ms - direct.p50_ms),
    added_p99_ms: round3(gatewayStats.p99_ms - direct.p99_ms),
    floor_p50_ms: floorStats.p50_ms,
    floor_p99_ms: floorStats.p99_ms,
    added_over_floor_p50_ms: round3(gatewayStats.p50_ms - floorStats.p50_ms),
    added_over_floor_p99_ms: round3(gatewayStats.p99_ms - floorStats.p99_ms),
    rate_rps: settings.rateRps,
    tree_depth: GATEWAY_TREE_DEPTH,
    requests_per_target: gatewayStats.n,
    gateway_cpu_ms_per_payment: cpu.gateway.requests ? round3(cpu.gateway.ms / cpu.gateway.requests) : null,
    floor_cpu_ms_per_payment: cpu.floor.requests ? round3(cpu.floor.ms / cpu.floor.requests) : null,
    // From the gateway's Server-Timing header (null when no answer carried one).
    server_timing: {
      answers: ownTime.n,
      gateway_p50_ms: ownTime.p50_ms,
      gateway_p99_ms: ownTime.p99_ms,
      tree_p50_ms: treeTime.p50_ms,
      tree_p99_ms: treeTime.p99_ms,
    },
    errors,
    detail: { direct, floor: floorStats, gateway: gatewayStats, generator_lag: lagStats },
  };
}
