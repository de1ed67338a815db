// Scale-out: two gateway processes on one PostgreSQL database against one, side by side (the two
// take turns at each step of one ladder). Two child processes on two ports with the load generator
// spreading its connections over both (autocannon's multi-url, round-robin), rather than
// node:cluster: each process is then exactly the gateway the other rows measure (same main.js, no
// primary process in the way), and each has its own pid for the CPU accounting. The second process
// joins the first one's database and merchant. Besides the rate, each step records CPU per
// payment of the gateways and of the database's PostgreSQL backends, and how many cores each kept
// busy, so the report can say whether the database, the gateways or the machine's cores ran out.
import os from 'node:os';
import { startGateway } from './lib/servers.mjs';
import { searchThroughput, throughputRatio } from './throughput.mjs';

/** A busy share this close to the core count counts as "the cores ran out". */
const SATURATED = 0.9;

/**
 * @param {{gateway: object, gatewayDb: {env: object}, workDir: string, oneProcess: {max_rps: number}, settings: object, servers: object[], log?: Function}} options
 *   `oneProcess` (the throughput search's gateway row) only sets where the ladder starts.
 *   `gateway` is the running one-process gateway (it becomes the first of the two); the started
 *   second process is pushed to `servers` so the caller stops it.
 */
export async function measureScaleOut({ gateway, gatewayDb, workDir, oneProcess: oneProcessBefore, settings, servers, log = () => {} }) {
  const second = await startGateway({ databaseEnv: gatewayDb.env, workDir, name: 'gateway-2', apiKey: gateway.apiKey });
  servers.push(second);
  const pair = {
    name: 'gateway×2',
    ports: [gateway.port, second.port],
    pids: [gateway.child.pid, second.child.pid],
    apiKey: gateway.apiKey,
    backends: gateway.backends,
  };
  log(`  second gateway on :${second.port} (pid ${second.child.pid}), same database and merchant`);
  // One process and the pair take turns at each step (same machine, same moment: other load on
  // this shared machine hits both alike), from 0.6 × what one process sustained in the
  // throughput search (the steps below are known ground), after a warm-up at half that rate.
  const startRps = Math.max(settings.startRps, Math.round(oneProcessBefore.max_rps * 0.6));
  let found;
  try {
    found = await searchThroughput({ servers: [gateway, pair], settings, startRps, warmupRps: Math.round(startRps / 2), log });
  } finally {
    await second.stop(); // later measurements see one gateway again
  }
  const two = found[pair.name];
  const oneProcess = found[gateway.name];
  const { ratio, basis } = throughputRatio(two, oneProcess, ['two processes', 'one process']);
  const limitStep = highestStep(two.steps);
  const oneLimitStep = highestStep(oneProcess.steps);
  return {
    processes: 2,
    spread: 'two child processes on two ports, connections round-robin over both',
    max_rps: two.max_rps,
    first_failed_rps: two.first_failed_rps,
    capped_by_ladder: two.capped,
    one_process_rps: oneProcess.max_rps,
    one_process_first_failed_rps: oneProcess.first_failed_rps,
    speedup: ratio,
    speedup_basis: basis,
    at_limit: { two: summary(limitStep), one: summary(oneLimitStep) },
    limit: limitVerdict(limitStep),
    warmup: { two: two.warmup, one: oneProcess.warmup },
    steps: { two: two.steps, one: oneProcess.steps },
  };
}

/** The step at the highest rate offered (its last attempt): where the limit shows. */
function highestStep(steps) {
  return steps.reduce((best, s) => (best === null || s.rate_rps >= best.rate_rps ? s : best), null);
}

const summary = (s) =>
  s && {
    rate_rps: s.rate_rps,
    achieved_rps: s.achieved_rps,
    pass: s.pass,
    gateway_cpu_ms_per_payment: s.server_cpu_ms_per_payment,
    db_cpu_ms_per_payment: s.db_cpu_ms_per_payment,
    cores_busy: s.cores_busy,
  };

/** Which resource ran out at `s`, in words with the numbers. */
export function limitVerdict(s, cores = os.cpus().length) {
  if (!s || s.cores_busy.machine === null) return 'unknown (no /proc)';
  const c = s.cores_busy;
  const other = c.machine - c.servers - (c.database ?? 0) - c.generator;
  const split = `gateways ${c.servers}, postgres backends ${c.database ?? '?'}, load generator ${c.generator}, rest ${Number(other.toFixed(2))} of ${cores} cores`;
  if (other >= 0.5) {
    return `other processes: they kept ${Number(other.toFixed(2))} of ${cores} cores busy at ${s.rate_rps} req/s (${split}); this row measures the machine's other load more than the gateways`;
  }
  if (c.machine >= SATURATED * cores) {
    return `the machine's cores: ${c.machine} of ${cores} busy at ${s.rate_rps} req/s (${split}); the gateways and PostgreSQL compete for them, so this is no measure of PostgreSQL's own ceiling`;
  }
  if (c.database !== null && c.database >= SATURATED) {
    return `PostgreSQL's backends: ${c.database} cores busy at ${s.rate_rps} req/s (${split})`;
  }
  return `waiting, not CPU: ${c.machine} of ${cores} cores busy at ${s.rate_rps} req/s (${split}); commits (fsync) or the pools' queues hold the rest`;
}
