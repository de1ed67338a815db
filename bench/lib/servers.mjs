// The two HTTP servers under test, each a child process on loopback: the built gateway (on the
// depth-3 bench tree) and the floor.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freePort, startChild } from './children.mjs';
import { distPath } from './dist.mjs';
import { chainTreeConfig } from './payment.mjs';

export const GATEWAY_TREE_DEPTH = 3;

/**
 * The gateway's per-API-key rate limit (default 100 req/s) would throttle the single bench merchant;
 * it is raised, not disabled, so its guard still runs on every request as in production.
 */
export const GATEWAY_BENCH_ENV = { CANOPY_RATE_LIMIT: '1000000' };

/** Environment without anything that selects a database, plus `extra`. */
function childEnv(extra) {
  const { DATABASE_URL: _u, CANOPY_DATA_DIR: _d, ...env } = process.env;
  return { ...env, ...extra };
}

/**
 * Starts `node dist/apps/gateway/src/main.js` and creates a merchant, or, given the `apiKey` of a
 * merchant already in `databaseEnv`'s database (a second process on the same database), uses it.
 * `nodeArgs` + `stdin: 'pipe'` let the profiler hook in (`--import bench/lib/profile-hook.mjs`).
 */
export async function startGateway({ databaseEnv, workDir, nodeArgs = [], extraEnv = {}, stdin = 'ignore', name = 'gateway', main = distPath('apps/gateway/src/main.js'), apiKey: existingKey = null }) {
  const treeFile = path.join(workDir, `bench-tree-depth${GATEWAY_TREE_DEPTH}.yaml`);
  await writeFile(treeFile, stringify(chainTreeConfig(GATEWAY_TREE_DEPTH)));
  const port = await freePort();
  const adminToken = `adm_bench_${randomBytes(16).toString('hex')}`;
  const server = await startChild({
    name,
    script: main,
    nodeArgs,
    stdin,
    env: childEnv({ ...GATEWAY_BENCH_ENV, ...databaseEnv, ...extraEnv, PORT: String(port), HOST: '127.0.0.1', CANOPY_ADMIN_TOKEN: adminToken, CANOPY_TREE: treeFile }),
    ready: /Canopy gateway listening on/,
  });
  const base = { name, port, child: server.child, output: server.output, waitFor: server.waitFor, stop: server.stop };
  if (existingKey) return { ...base, apiKey: existingKey };
  const response = await fetch(`http://127.0.0.1:${port}/v1/ops/merchants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench merchant' }),
  });
  if (response.status !== 201) throw new Error(`gateway: creating the bench merchant answered ${response.status}: ${await response.text()}`);
  const { api_key: apiKey } = await response.json();
  return { ...base, apiKey };
}

export function startFloor({ databaseEnv }) {
  return startFloorScript({ name: 'floor', script: '../floor-server.mjs', databaseEnv });
}

/** The floor's payment served by Nest on Fastify (nest-floor-server.mjs): what the framework alone costs. */
export function startNestFloor({ databaseEnv }) {
  return startFloorScript({ name: 'nest-floor', script: '../nest-floor-server.mjs', databaseEnv });
}

async function startFloorScript({ name, script, databaseEnv }) {
  const port = await freePort();
  const server = await startChild({
    name,
    script: fileURLToPath(new URL(script, import.meta.url)),
    env: childEnv({ ...databaseEnv, PORT: String(port) }),
    ready: /floor listening on \S+ key=(\S+)/,
  });
  return { name, port, apiKey: server.match[1], child: server.child, output: server.output, waitFor: server.waitFor, stop: server.stop };
}
