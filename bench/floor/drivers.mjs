// The floor's two bare drivers, behind `{query(text, values) → rows, transaction(fn), close()}`:
// node-postgres with a pool of 10 (the size @prisma/adapter-pg's pool gets by default too), or
// PGlite the way the gateway opens a folder: in a worker thread behind its wire protocol, through a
// pg pool of one connection (libs/persistence/src/pglite-worker.ts), or used directly in this
// thread when the measured dist/ predates the worker. Durability is the server's: nothing here changes synchronous_commit.
// Statements are named prepared statements, parsed once per connection, as the gateway's
// SqlClient sends them (libs/persistence/src/sql-client.ts).
import { createHash } from 'node:crypto';
import pg from 'pg';
import { dist } from '../lib/dist.mjs';

const names = new Map();
const prepared = (text, values) => {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `floor_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
  return { name, text, values };
};

export function pgDriver(connectionString, { max = 10, pool: given } = {}) {
  const pool = given ?? new pg.Pool({ connectionString, max });
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    pool,
    async query(text, values) {
      return (await pool.query(prepared(text, values))).rows;
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(async (text, values) => (await client.query(prepared(text, values))).rows);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

export async function pgliteDriver(dataDir) {
  const { startPGliteWorker, EMBEDDED_SOCKET_PORT } = await dist.persistence();
  if (!startPGliteWorker) return inThreadPGliteDriver(dataDir);
  const worker = await startPGliteWorker(dataDir);
  const pool = new pg.Pool({ host: worker.socketDir, port: EMBEDDED_SOCKET_PORT, user: 'postgres', database: 'postgres', max: 1, idleTimeoutMillis: 0, stream: () => worker.stream() });
  const driver = pgDriver(undefined, { pool });
  return { ...driver, kind: 'pglite', close: async () => { await pool.end(); await worker.close(); } };
}

async function inThreadPGliteDriver(dataDir) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(dataDir);
  await db.waitReady;
  return {
    kind: 'pglite',
    async query(text, values) {
      return (await db.query(text, values)).rows;
    },
    transaction(fn) {
      return db.transaction((tx) => fn(async (text, values) => (await tx.query(text, values)).rows));
    },
    close: () => db.close(),
  };
}

/** `DATABASE_URL` → pg, else PGlite in `CANOPY_DATA_DIR`. */
export function driverFromEnv(env = process.env) {
  if (env.DATABASE_URL) return pgDriver(env.DATABASE_URL);
  if (!env.CANOPY_DATA_DIR) throw new Error('set DATABASE_URL or CANOPY_DATA_DIR');
  return pgliteDriver(env.CANOPY_DATA_DIR);
}
