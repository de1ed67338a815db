import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os'; import path from 'node:path';
import autocannon from 'autocannon';
import { startGateway, startFloor } from './lib/servers.mjs';
import { PAYMENT_JSON } from './lib/payment.mjs';
const which = process.argv[2] ?? 'gateway';
const databaseEnv = { DATABASE_URL: process.env.DATABASE_URL };
const server = which === 'gateway' ? await startGateway({ databaseEnv, workDir: mkdtempSync(path.join(os.tmpdir(), 'thr-')) }) : await startFloor({ databaseEnv });
const pid = server.child.pid;
const threads = () => Object.fromEntries(readdirSync(`/proc/${pid}/task`).map((tid) => {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'); const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [`${tid}:${readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()}`, (Number(f[11]) + Number(f[12])) * 10];
}));
let n = 0;
const run = (duration) => new Promise((resolve) => autocannon({ url: `http://127.0.0.1:${server.port}/v1/payments`, method: 'POST', connections: 20, overallRate: Number(process.env.RATE ?? 150), duration,
  headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' }, body: PAYMENT_JSON,
  setupClient: (c) => c.on('response', () => {}), requests: [{ setupRequest: (r) => ({ ...r, headers: { ...r.headers, 'idempotency-key': `k-${process.pid}-${++n}` } }) }] }, (e, r) => resolve(r)));
import pg from 'pg';
const client = new pg.Client({ connectionString: process.env.DATABASE_URL }); await client.connect();
const dbstats = async () => (await client.query("SELECT xact_commit, tup_inserted, tup_updated, tup_fetched, tup_returned FROM pg_stat_database WHERE datname = current_database()")).rows[0];
import { execSync } from 'node:child_process';
const pgcpu = () => execSync("ps -C postgres -o times= | awk '{s+=$1} END {print s}'").toString().trim() * 1000;
await run(3);
const before = threads(); const db0 = await dbstats(); const pg0 = pgcpu(); const r = await run(10); const after = threads(); await new Promise(r => setTimeout(r, 600)); const db1 = await dbstats(); const pg1 = pgcpu();
for (const k of Object.keys(db0)) console.log(k, ((db1[k] - db0[k]) / r.requests.total).toFixed(2), 'per req');
console.log('postgres cpu', ((pg1 - pg0) / r.requests.total).toFixed(2), 'ms/req');
console.log(which, "requests", r.requests.total, "non2xx", r.non2xx, "p50", r.latency.p50, "p90", r.latency.p90, "p99", r.latency.p99, "max", r.latency.max);
for (const [k, v] of Object.entries(after)) { const d = v - (before[k] ?? 0); if (d > 0) console.log(k, d, 'ms', (d / r.requests.total).toFixed(2), 'ms/req'); }
if (server.adminToken) { const m = await (await fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { authorization: `Bearer ${server.adminToken}` } })).text();
  console.log(m.split('\n').filter((l) => /^nodejs_(eventloop_lag_(p50|p99|max)|gc_duration_seconds_(sum|count))/.test(l)).join('\n')); }
await server.stop();
await client.end(); process.exit(0);
