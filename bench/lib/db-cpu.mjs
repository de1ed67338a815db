// CPU accounting around a load step, from /proc (Linux; nulls elsewhere): the server processes,
// the PostgreSQL backends serving one database (found through pg_stat_activity, so other databases
// on the same server, e.g. other engineers' tests, are not counted), this load generator, and the
// whole machine. WAL writer, checkpointer and other shared PostgreSQL processes are not in the
// backends' figure: they serve every database at once.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { cpuMsOf } from './proc-cpu.mjs';

const TICKS_PER_SECOND = 100;

/** Busy CPU ms of the whole machine (all cores; idle and iowait excluded), or null. */
export function machineBusyMs() {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    return ((total - ticks[3] - ticks[4]) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** A probe listing the backends connected to `databaseUrl`'s database. `close()` when done. */
export async function databaseBackends(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  return {
    async pids() {
      const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      return rows.map((r) => r.pid);
    },
    close: () => client.end().catch(() => {}),
  };
}

const sumCpu = (pids) => {
  const byPid = new Map();
  for (const pid of pids) {
    const ms = cpuMsOf(pid);
    if (ms !== null) byPid.set(pid, ms);
  }
  return byPid;
};

/**
 * Starts a CPU window for `processPids` (the servers) and `backends` (a databaseBackends probe or
 * null). `end()` returns CPU ms spent in the window by each group and the machine's busy ms.
 */
export async function cpuWindow({ processPids, backends }) {
  const startServers = sumCpu(processPids);
  const startDb = backends ? sumCpu(await backends.pids()) : null;
  const startGenerator = process.cpuUsage();
  const startMachine = machineBusyMs();
  return {
    async end() {
      const generator = process.cpuUsage(startGenerator);
      const machine = machineBusyMs();
      const endServers = sumCpu(processPids);
      let servers = 0;
      for (const [pid, ms] of endServers) servers += ms - (startServers.get(pid) ?? ms);
      let database = null;
      if (backends) {
        // A backend that appeared in the window counts whole (its life is mostly this window); one
        // that left before the end is lost: the pools keep their connections, so that is rare.
        database = 0;
        for (const [pid, ms] of sumCpu(await backends.pids())) database += ms - (startDb.get(pid) ?? 0);
      }
      return {
        servers_ms: servers,
        database_ms: database,
        generator_ms: (generator.user + generator.system) / 1000,
        machine_ms: machine === null || startMachine === null ? null : machine - startMachine,
      };
    },
  };
}
