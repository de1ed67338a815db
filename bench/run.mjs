#!/usr/bin/env node
// `npm run bench` (full, a few minutes) | `npm run bench -- --quick` (under 2 minutes) |
// `--smoke` (seconds; proves the harness works, numbers meaningless). Other flags: --no-build,
// --no-profile, --only=overhead,throughput,scale-out,depth,prisma,fanout,remote,profile, --out=<file>,
// --rate=<req/s for the overhead comparison>, --root=<checkout> (measure another checkout's dist/).
// Builds, starts the gateway and the floor as loopback child processes on scratch databases
// (PostgreSQL from DATABASE_URL, else embedded PGlite), measures, prints a table per measurement
// and writes bench/results/latest.json. How to read it: bench/README.md.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureDepth } from './depth.mjs';
import { measureFanout, measureRemote } from './integrations.mjs';
import { scratchDatabases } from './lib/databases.mjs';
import { ensureBuilt, harnessRoot, measuredRoot, useRoot } from './lib/dist.mjs';
import { parseArgs } from './lib/modes.mjs';
import { startFloor, startGateway } from './lib/servers.mjs';
import { printReport } from './lib/report.mjs';
import { measureOverhead } from './overhead.mjs';
import { measurePrismaVsPg } from './prisma-vs-pg.mjs';
import { profileGateway } from './profile.mjs';
import { measureScaleOut } from './scale-out.mjs';
import { criteriaText, searchThroughput, throughputRatio } from './throughput.mjs';
import { databaseBackends } from './lib/db-cpu.mjs';

const args = parseArgs(process.argv.slice(2));
if (args.help || args.unknown.length > 0) {
  if (args.unknown.length > 0) console.error(`unknown option(s): ${args.unknown.join(' ')}`);
  console.error('usage: npm run bench [-- --quick | --smoke] [--no-build] [--no-profile] [--only=overhead,throughput,scale-out,depth,prisma,fanout,remote,profile] [--out=file] [--rate=N] [--root=dir]');
  process.exit(args.help ? 0 : 2);
}
const wants = (name) => !args.only || args.only.has(name);
const log = (line) => console.log(line);
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const outFile = args.out ? path.resolve(args.out) : path.join(resultsDir, 'latest.json');
const started = Date.now();
const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

if (args.root) useRoot(args.root);
log(`canopy bench (${args.mode}) on ${os.cpus().length} CPU(s), load ${load().join(' ')}`);
ensureBuilt(args);

const report = {
  meta: {
    mode: args.mode,
    started_at: new Date(started).toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? null,
    load_at_start: load(),
    database: null,
    measured_root: measuredRoot(),
  },
  overhead: null,
  throughput: null,
  scale_out: null,
  fanout: null,
  depth: null,
  remote: null,
  prisma_vs_pg: null,
  profile: null,
  notes: {},
};

const databases = await scratchDatabases();
report.meta.database = databases.label;
log(`database: ${databases.label}`);
const workDir = await mkdtemp(path.join(os.tmpdir(), 'canopy-bench-work-'));
const servers = [];
const probes = [];
let failed = false;
let cleaning;
const cleanUp = () =>
  (cleaning ??= (async () => {
    await Promise.all(probes.map((p) => p.close()));
    await Promise.all(servers.map((s) => s.stop()));
    await databases.dropAll();
    await rm(workDir, { recursive: true, force: true });
  })());
process.once('SIGINT', () => {
  console.error('\ninterrupted: stopping the servers and dropping the scratch databases');
  void cleanUp().finally(() => process.exit(130));
});
try {
  const needServers = ['overhead', 'throughput', 'scale-out', 'profile'].some(wants);
  let gateway;
  let floor;
  let gatewayDb;
  if (needServers) {
    let floorDb;
    [gatewayDb, floorDb] = await Promise.all([
      databases.create('gateway', { migrate: databases.kind === 'postgres' }),
      databases.create('floor'),
    ]);
    const profiling = args.profile && wants('profile');
    const started = await Promise.allSettled([
      startGateway({
        databaseEnv: gatewayDb.env,
        workDir,
        nodeArgs: profiling ? ['--import', fileURLToPath(new URL('./lib/profile-hook.mjs', import.meta.url))] : [],
        extraEnv: { CANOPY_BENCH_PROFILE_DIR: path.join(resultsDir, 'profiles') },
        stdin: profiling ? 'pipe' : 'ignore',
      }),
      startFloor({ databaseEnv: floorDb.env }),
    ]);
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    const failedStart = started.find((s) => s.status === 'rejected');
    if (failedStart) throw failedStart.reason;
    [gateway, floor] = servers;
    log(`gateway on :${gateway.port} (pid ${gateway.child.pid}), floor on :${floor.port} (pid ${floor.child.pid})`);
    if (databases.kind === 'postgres') {
      // The PostgreSQL backends of each server's database, for their CPU per payment.
      for (const [server, db] of [[gateway, gatewayDb], [floor, floorDb]]) {
        server.backends = await databaseBackends(db.env.DATABASE_URL);
        probes.push(server.backends);
      }
    }
  }

  if (wants('overhead')) {
    log(`\n[overhead] ${args.settings.overhead.rateRps} req/s, ${args.settings.overhead.rounds} × ${args.settings.overhead.roundMs / 1000} s per target`);
    report.overhead = await measureOverhead({ gateway, floor, settings: args.settings.overhead, log });
  }

  let oneProcess = null;
  if (wants('throughput')) {
    const t = args.settings.throughput;
    log(`\n[throughput] stepping the arrival rate (autocannon), judged on ${t.judgeOn}, >= ${t.minSamples} samples per step, ${t.warmupMs / 1000} s warm-up`);
    const found = await searchThroughput({ servers: [gateway, floor], settings: t, log });
    const gw = found.gateway;
    const fl = found.floor;
    oneProcess = gw;
    const { ratio, basis } = throughputRatio(gw, fl);
    report.throughput = {
      gateway_rps: gw.max_rps,
      floor_rps: fl.max_rps,
      ratio,
      ratio_basis: basis,
      database: databases.kind,
      judged_on: t.judgeOn,
      min_samples_per_step: t.minSamples,
      criteria: criteriaText(t.judgeOn),
      gateway_first_failed_rps: gw.first_failed_rps,
      floor_first_failed_rps: fl.first_failed_rps,
      gateway_capped_by_ladder: gw.capped,
      floor_capped_by_ladder: fl.capped,
      floor_p50_ms: report.overhead?.floor_p50_ms ?? null,
      floor_p99_ms: report.overhead?.floor_p99_ms ?? null,
      warmup: { gateway: gw.warmup, floor: fl.warmup },
      steps: { gateway: gw.steps, floor: fl.steps },
    };
  }

  if (wants('scale-out')) {
    log('\n[scale-out] two gateway processes on one PostgreSQL database');
    if (databases.kind !== 'postgres') {
      report.notes.scale_out = 'PostgreSQL only: two processes cannot share one embedded PGlite folder';
      log(`  skipped: ${report.notes.scale_out}`);
    } else {
      // Without a throughput row in this run the side-by-side ladder starts at the mode's first rate.
      report.scale_out = await measureScaleOut({ gateway, gatewayDb, workDir, oneProcess: oneProcess ?? { max_rps: 0 }, settings: args.settings.scaleOut, servers, log });
      report.scale_out.judged_on = args.settings.scaleOut.judgeOn;
    }
  }

  if (wants('depth')) {
    log('\n[depth] in-process trees of depth ' + args.settings.depth.depths.join(', '));
    const depth = await measureDepth({ settings: args.settings.depth });
    report.depth = depth.rows.map(({ depth: d, p50_ms, p99_ms }) => ({ depth: d, p50_ms, p99_ms }));
    report.depth_detail = depth;
  }

  if (wants('prisma')) {
    log('\n[prisma-vs-pg] the create-payment hot path, sequential');
    report.prisma_vs_pg = await measurePrismaVsPg({ databases, settings: args.settings.prismaVsPg, log });
  }

  for (const [name, measure] of [['fanout', measureFanout], ['remote', measureRemote]]) {
    if (!wants(name)) continue;
    log(`\n[${name}]`);
    const { result, reason, source } = await measure({ mode: args.mode, log });
    report[name] = result;
    report.notes[name] = [source && `measured by ${source}`, reason].filter(Boolean).join('; ');
    if (!result) log(`  ${name}: null (${reason})`);
  }

  if (args.profile && wants('profile') && gateway) {
    log('\n[profile] gateway under load, V8 sampling profiler');
    report.profile = await profileGateway({ gateway, settings: args.settings.profile });
  }
} catch (error) {
  failed = true;
  console.error(`\nbench failed: ${error instanceof Error ? error.stack : String(error)}`);
  for (const server of servers) console.error(`--- ${server.name} output (tail) ---\n${server.output().slice(-3000)}`);
} finally {
  await cleanUp();
}

report.meta.load_at_end = load();
report.meta.duration_s = Math.round((Date.now() - started) / 1000);
await mkdir(path.dirname(outFile), { recursive: true });
await writeFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
printReport(report, log);
const shown = path.relative(harnessRoot, outFile);
log(`\nwrote ${shown.startsWith('..') ? outFile : shown} (${report.meta.duration_s} s)`);
process.exit(failed ? 1 : 0);
