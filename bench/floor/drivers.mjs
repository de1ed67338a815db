// The floor's two bare drivers, behind `{query(text, values) → rows, transaction(fn), close()}`:
// node-postgres with a pool of 10 (the size @prisma/adapter-pg's pool gets by default too), or
// PGlite used directly. Durability is the server's: nothing here changes synchronous_commit.
// Statements are named prepared statements, parsed once per connection, as the gateway's
// SqlClient sends them (libs/persistence/src/sql-client.ts).
import { createHash } from 'node:crypto';
import pg from 'pg';

const names = new Map();
const prepared = (text, values) => {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `floor_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
  return { name, text, values };
};

export function pgDriver(connectionString, { max = 10 } = {}) {
  const pool = new pg.Pool({ connectionString, max });
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
