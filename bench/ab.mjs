// Side-by-side A/B of two built checkouts: both gateways run at the same time (each on its own
// scratch database), take the same load in rounds, and each round gives each process's CPU per
// payment from /proc and the ratio new / base. On a shared, noisy machine the ratio of two
// processes measured in the same seconds is far steadier than two runs minutes apart.
//
//   node bench/ab.mjs --base=<checkout> [--new=<checkout>] [--rate=25] [--n=400] [--rounds=4] [--warmup=3000]
//   node bench/ab.mjs --base=floor ...           the floor as the base (--base / --new: floor, nest-floor or a checkout)
//   node bench/ab.mjs --base=floor --new=nest-floor   what Nest + Fastify alone add to the floor
//
// Closed loop (default): --c concurrent requests per side (default 2), --n payments per round
// (default 1500). Open loop: --rate=<req/s> per side (default n 400). Each checkout must be built
// (`npx tsc -p tsconfig.build.json` there; its dist/ is started as is). DATABASE_URL as for `npm run bench`.
import http from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDatabases } from './lib/databases.mjs';
import { PAYMENT_JSON } from './lib/payment.mjs';
import { cpuMsOf, mainThreadCpuOf } from './lib/proc-cpu.mjs';
import { backToBack } from './open-loop.mjs';
import { startFloor, startGateway, startNestFloor } from './lib/servers.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
if (!args.base) throw new Error('usage: node bench/ab.mjs --base=<checkout|floor|nest-floor> [--new=<checkout|floor|nest-floor>] [--rate=N] [--n=N] [--rounds=N] [--c=N]');
const rate = args.rate ? Number(args.rate) : 0;
const rounds = Number(args.rounds ?? 4);
const perRound = Number(args.n ?? (rate ? 400 : 1500));
const concurrency = Number(args.c ?? 2);
const warmup = Number(args.warmup ?? 3000);
const harnessCheckout = fileURLToPath(new URL('../', import.meta.url));

const databases = await scratchDatabases();
const sides = [];
try {
  for (const [label, checkout] of [['base', args.base], ['new', args.new ?? harnessCheckout]]) {
    const database = await databases.create(label);
    const server =
      checkout === 'floor'
        ? await startFloor({ databaseEnv: database.env })
        : checkout === 'nest-floor'
          ? await startNestFloor({ databaseEnv: database.env })
          : await startGateway({ databaseEnv: database.env, workDir: await mkdtemp(path.join(tmpdir(), `canopy-ab-${label}-`)), name: label, main: path.resolve(checkout, 'dist/apps/gateway/src/main.js') });
    sides.push({ label, server, agent: new http.Agent({ keepAlive: true, maxSockets: rate ? 8 : concurrency }), sent: 0 });
  }
  // Warm-up, not counted: the JIT's (see backToBack), then the rounds' rhythm.
  await Promise.all(sides.map((side) => backToBack({ count: warmup, send: () => pay(side), concurrency: Math.min(4, side.agent.maxSockets) })));
  await Promise.all(sides.map((side) => drive(side, rate ? rate * 3 : 400)));
  const ratios = [];
  for (let round = 1; round <= rounds; round += 1) {
    const before = sides.map((side) => ({ process: cpuMsOf(side.server.child.pid), main: mainThreadCpuOf(side.server.child.pid) }));
    await Promise.all(sides.map((side) => drive(side, perRound)));
    const [base, next] = sides.map((side, i) => ((cpuMsOf(side.server.child.pid) - before[i].process) * 1000) / perRound);
    ratios.push(next / base);
    const [baseMain, nextMain] = sides.map((side, i) => mainThreadUs(side.server.child.pid, before[i].main));
    console.log(
      `round ${round}: base ${base.toFixed(0)} µs (main thread ${describe(baseMain)}), new ${next.toFixed(0)} µs (main thread ${describe(nextMain)}) CPU per payment, new/base ${(next / base).toFixed(3)} (${(next - base).toFixed(0)} µs)`,
    );
  }
  const sorted = ratios.sort((a, b) => a - b);
  console.log(`${rate ? `open loop ${rate} req/s` : `closed loop, ${concurrency} in flight`} per side: median new/base ${sorted[Math.floor(sorted.length / 2)].toFixed(3)}`);
} finally {
  for (const side of sides) await side.server.stop();
  await databases.dropAll();
}

/** The main thread's CPU µs per payment (and its kernel part) of the round that began at `mainBefore`. */
function mainThreadUs(pid, mainBefore) {
  const now = mainThreadCpuOf(pid) ?? { ms: 0, systemMs: 0 };
  const before = mainBefore ?? { ms: 0, systemMs: 0 };
  const perPayment = (ms) => (ms * 1000) / perRound;
  return { all: perPayment(now.ms - before.ms), kernel: perPayment(now.systemMs - before.systemMs) };
}

function describe(thread) {
  return `${thread.all.toFixed(0)}, kernel ${thread.kernel.toFixed(0)}`;
}

function pay(side) {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${side.server.apiKey}`, 'content-type': 'application/json', 'idempotency-key': `ab-${side.label}-${process.pid}-${side.sent++}` };
    const request = http.request({ host: '127.0.0.1', port: side.server.port, path: '/v1/payments', method: 'POST', agent: side.agent, headers }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 201 ? resolve() : reject(new Error(`${side.label} answered ${response.statusCode}`))));
    });
    request.on('error', reject);
    request.end(PAYMENT_JSON);
  });
}

/** `count` payments: at `rate` per second on a schedule (open loop), or `concurrency` at a time (closed loop). */
async function drive(side, count) {
  if (rate) {
    const started = Date.now();
    const sent = [];
    for (let i = 0; i < count; i += 1) {
      const wait = started + (i * 1000) / rate - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      sent.push(pay(side));
    }
    await Promise.all(sent);
    return;
  }
  let left = count;
  const worker = async () => {
    while (left-- > 0) await pay(side);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
