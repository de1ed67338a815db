#!/usr/bin/env node
// Prisma 7 vs raw driver on the create-payment hot path, in one process, sequentially (one payment
// at a time, so the numbers are per-payment latency and CPU, not throughput):
//   prisma: the gateway's own code from dist — MerchantAuthGuard (API-key lookup) and the
//           CreatePayment use case (its key claimed and completed with its two commits) through the
//           project's Prisma client, resolved from the gateway's Nest module (no HTTP);
//   raw:    the floor's same statements (floor/fused-writes.mjs, one per commit) through pg, or
//           PGlite directly; raw_per_row: the same rows, one statement per row (the gateway's
//           writes before they were fused), to show what fusing bought.
// Both sides run on the same database server, in alternating blocks. On PostgreSQL it also counts
// the statements each side sends per payment (by wrapping pg.Client#query).
// Standalone: `node bench/prisma-vs-pg.mjs [--quick|--smoke] [--no-build]` (DATABASE_URL or PGlite).
import 'reflect-metadata';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { pgDriver, pgliteDriver } from './floor/drivers.mjs';
import { FUSED_STATEMENTS } from './floor/fused-writes.mjs';
import { dist, ensureBuilt, importDist, measuredRoot, useRoot } from './lib/dist.mjs';
import { parseArgs } from './lib/modes.mjs';
import { PAYMENT_BODY, chainTreeConfig } from './lib/payment.mjs';
import { round3, summarizeMicros } from './lib/stats.mjs';
import { scratchDatabases } from './lib/databases.mjs';

// The floor's writes use helpers of the build, so they are loaded once the harness has built.
const floorWrites = () => import('./floor/payment-writes.mjs');

/**
 * The gateway's own hot path: MerchantAuthGuard + CreatePayment (run by IdempotentRequests, as the
 * controller does) from the built Nest module, through its repositories.
 */
export async function prismaPath(databaseConfig) {
  const [{ NestFactory }, { AppModule }, { CreatePayment, createPaymentCommand, createdPaymentAnswer }, { MerchantAuthGuard }, { CreateMerchant }, { IdempotentRequests, requestFingerprint }, { buildTree }, { adapterCatalog }, { loadGatewayConfig }, { PaymentsController }] =
    await Promise.all([
      import(pathToFileURL(createRequire(path.join(measuredRoot(), 'package.json')).resolve('@nestjs/core')).href),
      importDist('apps/gateway/src/app.module.js'),
      importDist('apps/gateway/src/payments/index.js'),
      importDist('apps/gateway/src/auth/index.js'),
      importDist('apps/gateway/src/ops/index.js'),
      importDist('apps/gateway/src/idempotency/index.js'),
      dist.orchestration(),
      dist.catalog(),
      importDist('apps/gateway/src/config/gateway-config.js'),
      importDist('apps/gateway/src/payments/http/payments.controller.js'),
    ]);
  const tree = buildTree(chainTreeConfig(1), adapterCatalog);
  // The gateway's own config loader, so new settings get their defaults; background loops off.
  const config = loadGatewayConfig({
    ...(databaseConfig.databaseUrl ? { DATABASE_URL: databaseConfig.databaseUrl } : { CANOPY_DATA_DIR: databaseConfig.dataDir }),
    CANOPY_ADMIN_TOKEN: 'adm_bench_unused_0123456789',
    CANOPY_WEBHOOK_INTERVAL_MS: '0',
    CANOPY_RECONCILE_INTERVAL_MS: '0',
    CANOPY_LOG_LEVEL: 'error',
  });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, tree }), { logger: ['error'] });
  const merchant = await app.get(CreateMerchant).execute({ name: 'Bench prisma', allowedOrigins: [], cascadeOptIn: false });
  const guard = app.get(MerchantAuthGuard);
  const useCase = app.get(CreatePayment);
  const idempotent = app.get(IdempotentRequests);
  return {
    name: 'prisma',
    label: 'gateway code (guard + CreatePayment)',
    async pay(key) {
      const request = { headers: { authorization: `Bearer ${merchant.apiKey}` }, params: {}, query: {}, body: PAYMENT_BODY };
      // The route's context as Nest gives it to the guard (which also checks the input against the handler's parameters).
      await guard.canActivate({
        getType: () => 'http',
        getClass: () => PaymentsController,
        getHandler: () => PaymentsController.prototype.create,
        switchToHttp: () => ({ getRequest: () => request }),
      });
      const scope = { merchantId: request.merchant.id, key, fingerprint: requestFingerprint('POST', '/v1/payments', PAYMENT_BODY) };
      // As the controller runs it: the use case with its key, answered and stored at the HTTP layer.
      const stored = await idempotent.run(scope, createdPaymentAnswer, (handle) =>
        useCase.execute(createPaymentCommand(request.merchant, structuredClone(PAYMENT_BODY), { traceId: key, requestId: key }, handle, { treeMs: 0 })),
      );
      if (stored.status !== 201) throw new Error(`prisma path answered ${stored.status}`);
    },
    close: () => app.close(),
  };
}

/** The floor's code (`writer`: fused, or per-row statements) over `db`. */
async function floorPath(name, label, db, writer, { ownsDb = true } = {}) {
  const { seedMerchant, createPayment: floorCreatePayment } = await floorWrites();
  const { apiKey } = await seedMerchant(db);
  return {
    name,
    label,
    async pay(key) {
      const stored = await floorCreatePayment(db, { authorization: `Bearer ${apiKey}`, idempotencyKey: key, body: structuredClone(PAYMENT_BODY) }, writer);
      if (stored.status !== 201) throw new Error(`${name} answered ${stored.status}`);
    },
    close: () => (ownsDb ? db.close() : undefined),
  };
}

/** The floor's code through the raw driver: fused (`raw`, the gateway's statements) and per row (`raw_per_row`), one connection pool. */
export async function rawPaths(databaseConfig) {
  const db = databaseConfig.databaseUrl ? pgDriver(databaseConfig.databaseUrl) : await pgliteDriver(databaseConfig.dataDir);
  const driver = db.kind === 'postgres' ? 'pg' : 'pglite';
  return [
    await floorPath('raw', `raw ${driver} (floor code)`, db, FUSED_STATEMENTS),
    await floorPath('raw_per_row', `raw ${driver}, one statement per row`, db, (await floorWrites()).PER_ROW_STATEMENTS, { ownsDb: false }),
  ];
}

/** The statements one payment sends through pg (PostgreSQL only). */
async function statementsOf(impl, key) {
  const seen = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (query, ...rest) {
    const text = typeof query === 'string' ? query : query?.text;
    if (text) seen.push(text.replace(/\s+/g, ' ').trim());
    return original.call(this, query, ...rest);
  };
  try {
    await impl.pay(key);
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}

/**
 * Three ways to write the same payment, one payment at a time, in alternating blocks: `prisma`
 * (the gateway), `raw` (the floor: same statements, raw driver) and `raw_per_row` (the same rows,
 * one statement per row: what fusing the statements saves).
 * @param {{databases: Awaited<ReturnType<typeof scratchDatabases>>, settings: {warmup: number, iterations: number, blocks: number}, log?: Function}} options
 */
export async function measurePrismaVsPg({ databases, settings, log = () => {} }) {
  const impls = [];
  try {
    // PostgreSQL: one scratch database for all. PGlite: a folder opens in one place only, so the
    // gateway's client and the raw driver get one each.
    const prismaDb = await databases.create('hotpath', { migrate: databases.kind === 'postgres' });
    const rawDb = databases.kind === 'postgres' ? prismaDb : await databases.create('hotpath_raw');
    const prisma = await prismaPath(prismaDb.config);
    impls.push(prisma);
    impls.push(...(await rawPaths(rawDb.config)));
    let seq = 0;
    const key = (name) => `hot-${name}-${++seq}`;
    for (const impl of impls) for (let i = 0; i < settings.warmup; i += 1) await impl.pay(key(impl.name));

    const samples = Object.fromEntries(impls.map((i) => [i.name, []]));
    const cpuUs = Object.fromEntries(impls.map((i) => [i.name, 0]));
    const perBlock = Math.max(1, Math.floor(settings.iterations / settings.blocks));
    for (let b = 0; b < settings.blocks; b += 1) {
      const order = b % 2 === 0 ? impls : [...impls].reverse();
      for (const impl of order) {
        const cpu = process.cpuUsage();
        for (let i = 0; i < perBlock; i += 1) {
          const started = performance.now();
          await impl.pay(key(impl.name));
          samples[impl.name].push((performance.now() - started) * 1000);
        }
        const used = process.cpuUsage(cpu);
        cpuUs[impl.name] += used.user + used.system;
      }
      log(`  prisma-vs-pg block ${b + 1}/${settings.blocks} done`);
    }
    const stats = Object.fromEntries(impls.map((i) => [i.name, summarizeMicros(samples[i.name])]));
    const cpuPer = (name) => Math.round(cpuUs[name] / samples[name].length);
    const statements = databases.kind === 'postgres' ? Object.fromEntries(await sequential(impls, async (i) => [i.name, await statementsOf(i, key('stmt'))])) : null;
    const p = stats.prisma;
    const r = stats.raw;
    return {
      database: databases.kind,
      raw_driver: databases.kind === 'postgres' ? 'pg' : 'pglite',
      iterations: p.n,
      prisma_p50_ms: p.p50_ms,
      prisma_p99_ms: p.p99_ms,
      raw_p50_ms: r.p50_ms,
      raw_p99_ms: r.p99_ms,
      ratio_p50: round3(p.p50_ms / r.p50_ms),
      ratio_p99: round3(p.p99_ms / r.p99_ms),
      prisma_cpu_us_per_payment: cpuPer('prisma'),
      raw_cpu_us_per_payment: cpuPer('raw'),
      statements_per_payment: statements && { prisma: statements.prisma.length, raw: statements.raw.length },
      variants: impls.map((i) => ({
        name: i.name,
        label: i.label,
        p50_ms: stats[i.name].p50_ms,
        p99_ms: stats[i.name].p99_ms,
        cpu_us_per_payment: cpuPer(i.name),
        statements: statements ? statements[i.name].length : null,
      })),
      prisma_statements: statements?.prisma.map((s) => (s.length > 160 ? `${s.slice(0, 157)}...` : s)) ?? null,
    };
  } finally {
    for (const impl of impls) await impl.close();
  }
}

async function sequential(items, fn) {
  const out = [];
  for (const item of items) out.push(await fn(item));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = parseArgs(process.argv.slice(2));
  if (args.root) useRoot(args.root);
  ensureBuilt(args);
  const databases = await scratchDatabases();
  try {
    console.log(`prisma-vs-pg on ${databases.label} (${args.mode})`);
    const result = await measurePrismaVsPg({ databases, settings: args.settings.prismaVsPg, log: console.log });
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await databases.dropAll();
  }
}
