// Profiles the gateway child once under a fixed-rate load (after the measurements, since the
// sampling profiler perturbs them), then ranks self time by function, module and layer.
import { randomBytes } from 'node:crypto';
import { backToBack, httpPoster, openLoop } from './open-loop.mjs';
import { PAYMENT_JSON } from './lib/payment.mjs';
import { cpuMsOf } from './lib/proc-cpu.mjs';
import { summarizeProfile } from './profile-summary.mjs';

/**
 * Layers of the gateway process, to name the biggest cost in one word. Native and node-internal
 * frames are charged to the module that called them (summary.all_owner_modules), so the pg driver's
 * layer includes its socket writes and Fastify's its HTTP writes.
 */
const LAYERS = [
  ['Prisma (client runtime + query compiler)', (m) => m.startsWith('@prisma/')],
  ['database in-process (PGlite, embedded mode)', (m) => m === '@electric-sql/pglite' || m === 'pglite-prisma-adapter'],
  ['pg driver (with its socket I/O)', (m) => ['pg', 'pg-protocol', 'pg-pool', 'pg-types', 'pg-connection-string'].includes(m)],
  ['Nest + Fastify (with HTTP I/O)', (m) => m.startsWith('@nestjs/') || m.startsWith('fastify') || m.startsWith('@fastify/') || ['avvio', 'light-my-request', 'find-my-way', 'rxjs', 'path-to-regexp', 'toad-cache'].includes(m)],
  ['logging (pino)', (m) => m.startsWith('pino') || m.startsWith('@pinojs/') || ['sonic-boom', 'thread-stream', 'fast-redact', 'quick-format-unescaped', 'atomic-sleep', 'on-exit-leak-free', 'safe-stable-stringify', 'fast-safe-stringify'].includes(m)],
  ['validation (class-validator/transformer)', (m) => ['class-validator', 'class-transformer', 'validator', 'libphonenumber-js'].includes(m)],
  ['gateway + libs (our code)', (m) => m.startsWith('apps/') || m.startsWith('libs/')],
  ['garbage collector', (m) => m === '(garbage collector)'],
  ['node internals + native, no JS caller', (m) => m === 'node internals' || m === '(native/vm)' || m === '(program)'],
];

export function layersOf(summary) {
  const totals = new Map(LAYERS.map(([name]) => [name, 0]));
  totals.set('other', 0);
  for (const m of summary.all_owner_modules) {
    const layer = LAYERS.find(([, test]) => test(m.name))?.[0] ?? 'other';
    totals.set(layer, totals.get(layer) + m.share_of_busy);
  }
  return [...totals]
    .filter(([, share]) => share > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, share]) => ({ name, share_of_busy: Math.round(share * 10) / 10 }));
}

export async function profileGateway({ gateway, settings }) {
  const run = randomBytes(4).toString('hex');
  const poster = httpPoster({
    port: gateway.port,
    path: '/v1/payments',
    body: PAYMENT_JSON,
    headersFor: (i) => ({ authorization: `Bearer ${gateway.apiKey}`, 'idempotency-key': `bench-prof-${run}-${i}` }),
  });
  try {
    await backToBack({ count: settings.warmupPayments, send: (i) => poster.send(2_000_000 + i) });
    await openLoop({ rateRps: settings.rateRps, durationMs: settings.warmupMs, send: poster.send });
    const profiling = gateway.waitFor(/cpu profile started/);
    gateway.child.stdin.write('profile start\n');
    await profiling;
    const cpuBefore = cpuMsOf(gateway.child.pid);
    const load = await openLoop({ rateRps: settings.rateRps, durationMs: settings.durationMs, send: (i) => poster.send(1_000_000 + i) });
    const cpuAfter = cpuMsOf(gateway.child.pid);
    const written = gateway.waitFor(/cpu profile written: (\S+)/);
    gateway.child.stdin.write('profile stop\n');
    const [, file] = await written;
    const summary = await summarizeProfile(file, 12, { keepAll: true });
    const layers = layersOf(summary);
    delete summary.all_owner_modules;
    return {
      rate_rps: settings.rateRps,
      duration_ms: settings.durationMs,
      requests: load.sent,
      errors: load.errors,
      // Process CPU time (user + system) per request; the profile's busy time is wall-clock and
      // also counts time the main thread was runnable but descheduled on a busy machine.
      cpu_ms_per_request: cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) / load.sent) * 1000) / 1000,
      busy_wall_ms_per_request: Math.round((summary.busy_ms / load.sent) * 1000) / 1000,
      biggest_cost: layers[0]?.name ?? null,
      layers,
      ...summary,
    };
  } finally {
    poster.close();
  }
}
