// A small, precise open-loop load generator. Request i is due at start + i / rate whatever
// happened to earlier requests (open loop: a slow response never delays the next send), and its
// latency is measured from that scheduled time, in microseconds, so queueing anywhere (the
// generator, the socket pool, the server) shows up in the tail instead of being omitted
// (coordinated omission). autocannon's histogram has 1 ms resolution: too coarse here.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** Below this, the scheduler spins on setImmediate instead of trusting setTimeout's ~1 ms slack. */
const SPIN_BELOW_MS = 1.5;

/**
 * Calls `send(i)` at `rateRps` for `durationMs`.
 * @param {{rateRps: number, durationMs: number, send: (i: number) => Promise<boolean>}} options
 *   `send` resolves true for a success, false (or rejects) for an error.
 * @returns {Promise<{latenciesUs: Float64Array, lagUs: Float64Array, sent: number, errors: number, durationMs: number}>}
 */
export function openLoop({ rateRps, durationMs, send }) {
  const total = Math.max(1, Math.round((rateRps * durationMs) / 1000));
  const intervalMs = 1000 / rateRps;
  const latenciesUs = new Float64Array(total);
  const lagUs = new Float64Array(total);
  let next = 0;
  let done = 0;
  let errors = 0;
  const start = performance.now() + 5;
  return new Promise((resolve) => {
    const finish = (i, due, ok) => {
      latenciesUs[i] = (performance.now() - due) * 1000;
      if (!ok) errors += 1;
      done += 1;
      if (done === total) {
        resolve({ latenciesUs, lagUs, sent: total, errors, durationMs: performance.now() - start });
      }
    };
    const tick = () => {
      let now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        const i = next;
        const due = start + i * intervalMs;
        next += 1;
        lagUs[i] = (now - due) * 1000;
        let pending;
        try {
          pending = send(i);
        } catch {
          pending = Promise.resolve(false);
        }
        pending.then(
          (ok) => finish(i, due, ok),
          () => finish(i, due, false),
        );
        now = performance.now();
      }
      if (next >= total) return;
      const wait = start + next * intervalMs - performance.now();
      if (wait > SPIN_BELOW_MS) setTimeout(tick, wait - SPIN_BELOW_MS);
      else setImmediate(tick);
    };
    setTimeout(tick, 0);
  });
}

/** `gateway;dur=1.2;desc="Canopy", tree;dur=0.4` → its `dur` per name (W3C Server Timing). */
const SERVER_TIMING_ENTRY = /(?:^|,)\s*([\w-]+)[^,]*?;\s*dur=([\d.]+)/g;

/**
 * `count` calls of `send(i)` back to back, `concurrency` at a time, untimed: the JIT warm-up before
 * a measurement. V8 keeps compiling a server's hot code for its first few thousand payments (the
 * gateway: 71 optimizing compilations in the 500 payments after the first 1 000, 13 after 5 000;
 * its V8 worker threads' CPU at 25 req/s fell from 1.0-1.8 to 0.1-0.2 ms per payment), which at
 * 25 req/s would take minutes and be charged to the measurement.
 */
export async function backToBack({ count, send, concurrency = 4 }) {
  let next = 0;
  const worker = async () => {
    while (next < count) await send(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * A sender of POST requests over a keep-alive agent. `headersFor(i)` gives each request its
 * headers (e.g. a unique Idempotency-Key); success means `expectStatus`. The gateway's
 * `Server-Timing` of each successful answer is kept: `takeServerTimings()` hands over (and forgets)
 * its `gateway` and `tree` durations in ms.
 */
export function httpPoster({ port, path, body, headersFor, expectStatus = 201, maxSockets = 256 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const payload = Buffer.from(body);
  let lastError = null;
  const statuses = new Map();
  let serverTimings = { gatewayMs: [], treeMs: [] };
  const recordServerTiming = (header) => {
    if (typeof header !== 'string') return;
    for (const [, name, dur] of header.matchAll(SERVER_TIMING_ENTRY)) {
      if (name === 'gateway') serverTimings.gatewayMs.push(Number(dur));
      else if (name === 'tree') serverTimings.treeMs.push(Number(dur));
    }
  };
  const send = (i) =>
    new Promise((resolve) => {
      const request = http.request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headersFor(i) },
        },
        (response) => {
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          if (response.statusCode !== expectStatus) {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (c) => (text += c));
            response.on('end', () => {
              lastError = `HTTP ${response.statusCode}: ${text.slice(0, 300)}`;
              resolve(false);
            });
            return;
          }
          recordServerTiming(response.headers['server-timing']);
          response.resume();
          response.on('end', () => resolve(true));
          response.on('error', () => resolve(false));
        },
      );
      request.on('error', (error) => {
        lastError = error.message;
        resolve(false);
      });
      request.end(payload);
    });
  return {
    send,
    statuses: () => Object.fromEntries(statuses),
    lastError: () => lastError,
    takeServerTimings: () => {
      const taken = serverTimings;
      serverTimings = { gatewayMs: [], treeMs: [] };
      return taken;
    },
    close: () => agent.destroy(),
  };
}
