// What each optional layer of the request pipeline costs, measured by taking it out: copies of this
// checkout's built dist/ with one layer switched off (an edit of the compiled JavaScript, never of
// the source), each run side by side with an unedited copy by ab.mjs at the same rate, then all of
// them off at once against the unedited copy and against the floor. What is left with every layer
// off is the core: Nest + Fastify, the API-key guard, idempotency, the use case, the tree and the
// persistence. A measurement, not a configuration: the edited copies are thrown away.
//
//   node bench/ablate.mjs [--rate=25] [--rounds=3] [--layers=log,validation,guards,hooks]
//
// Build first (`npx tsc -p tsconfig.build.json`). DATABASE_URL as for `npm run bench`.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APP = 'dist/apps/gateway/src/create-gateway-app.js';
const SECURITY = 'dist/apps/gateway/src/security/security.module.js';

/** Each layer: the compiled lines that install it, and what replaces them. */
const LAYERS = {
  log: { what: 'request log line (the closing line of every request, with its redaction)', edits: [[APP, '    registerRequestLogging(app, pino);', '']] },
  validation: { what: 'ValidationPipe (class-transformer + class-validator on the DTOs)', edits: [[APP, '    app.useGlobalPipes(new ValidationPipe({', '    void (({']] },
  guards: {
    what: 'global guards: rate limit (@nestjs/throttler) and strict input',
    edits: [
      [SECURITY, '{ provide: APP_GUARD, useClass: RateLimitGuard },', ''],
      [SECURITY, '{ provide: APP_GUARD, useClass: StrictInputGuard },', ''],
    ],
  },
  hooks: {
    what: 'security headers, HTTP metrics, Server-Timing',
    edits: [
      [APP, '    registerSecurityHeaders(app);', ''],
      [APP, '    registerHttpMetrics(app);', ''],
      [APP, '    registerServerTiming(app, app.get(MetricsService).observePaymentTiming);', ''],
    ],
  },
};

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const rate = args.rate ?? '25';
const rounds = args.rounds ?? '3';
const layers = (args.layers ?? Object.keys(LAYERS).join(',')).split(',');
for (const layer of layers) if (!LAYERS[layer]) throw new Error(`unknown layer ${layer}: one of ${Object.keys(LAYERS).join(', ')}`);
const checkout = fileURLToPath(new URL('../', import.meta.url));
const scratch = await mkdtemp(path.join(tmpdir(), 'canopy-ablate-'));

/** Not copied: what a running gateway never reads. */
const SKIPPED = new Set(['node_modules', '.git', '.data', 'test', 'bench', 'coverage']);

/** A runnable copy of the built checkout (dist/ and the files it reads, e.g. page assets; node_modules linked) with `edits` applied. */
async function copyWith(name, edits) {
  const dir = path.join(scratch, name);
  await cp(checkout, dir, { recursive: true, filter: (source) => !SKIPPED.has(path.relative(checkout, source).split(path.sep)[0]) });
  await symlink(path.join(checkout, 'node_modules'), path.join(dir, 'node_modules'));
  for (const [file, from, to] of edits) {
    const text = await readFile(path.join(dir, file), 'utf8');
    if (text.split(from).length !== 2) throw new Error(`${file}: expected "${from.trim()}" once; the source changed, update bench/ablate.mjs`);
    await writeFile(path.join(dir, file), text.replace(from, to));
  }
  return dir;
}

/** Runs ab.mjs and returns the rounds' median new/base and µs difference. */
function ab(base, next) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('ab.mjs', import.meta.url)), `--base=${base}`, `--new=${next}`, `--rate=${rate}`, `--rounds=${rounds}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(`    ${chunk}`.replaceAll('\n', '\n    ').trimEnd() + '\n');
    });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`ab.mjs exited with ${code}`));
      const deltas = [...out.matchAll(/new\/base [0-9.]+ \((-?\d+) µs\)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
      resolve({ ratio: Number(out.match(/median new\/base ([0-9.]+)/)[1]), deltaUs: deltas[Math.floor(deltas.length / 2)] });
    });
  });
}

const results = [];
try {
  const base = await copyWith('base', []);
  for (const layer of layers) {
    console.log(`\n== without the ${LAYERS[layer].what}`);
    results.push({ variant: `without ${layer}`, against: 'gateway', ...(await ab(base, await copyWith(layer, LAYERS[layer].edits))) });
  }
  const core = await copyWith('core', layers.flatMap((layer) => LAYERS[layer].edits));
  console.log(`\n== without all of them (${layers.join(', ')})`);
  results.push({ variant: 'core (all off)', against: 'gateway', ...(await ab(base, core)) });
  console.log('\n== the core against the floor');
  results.push({ variant: 'core (all off)', against: 'floor', ...(await ab('floor', core)) });
  console.log('\n== the whole gateway against the floor');
  results.push({ variant: 'gateway', against: 'floor', ...(await ab('floor', base)) });
} finally {
  await rm(scratch, { recursive: true, force: true });
}
console.log(`\nCPU per payment at ${rate} req/s, medians of ${rounds} rounds, each pair side by side:`);
console.log('variant                   against    ratio   difference');
for (const row of results) console.log(`${row.variant.padEnd(25)} ${row.against.padEnd(9)} ${row.ratio.toFixed(3).padStart(6)}   ${String(row.deltaUs).padStart(6)} µs`);
