// Driver adapters for the two supported databases, and migrations applied under a lock. Nothing
// here imports the generated client, so `npm run db:migrate` works before `db:generate`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { applyMigrations, type MigrateOptions } from './migrations/migrate.js';
import { openPGlite } from './pglite.js';
import { EMBEDDED_SOCKET_PORT, startPGliteWorker, type PGliteWorker } from './pglite-worker.js';

export interface DatabaseConfig {
  /** PostgreSQL connection string. When set, `dataDir` is ignored. */
  databaseUrl?: string;
  /** Embedded PGlite folder (created if missing); `memory://` for an in-memory database. Default `.data`. */
  dataDir?: string;
  /**
   * Apply pending migrations when opening. Default: true for PGlite, false for PostgreSQL (where
   * `npm run db:migrate` is a deploy step). Safe with several processes on one PostgreSQL.
   */
  applyMigrations?: boolean;
  /** Default: `CANOPY_MIGRATIONS_DIR`, else the `prisma/migrations` folder of the repository. */
  migrationsDir?: string;
  /**
   * Where PGlite runs. `worker` (the default for a folder): in a worker thread behind its wire
   * protocol, reached through a pg pool of one connection like PostgreSQL, so its queries never
   * block the event loop. `in-thread` (the default for `memory://`, which tests open by the
   * hundred): in this thread, through Prisma's PGlite adapter.
   */
  pgliteMode?: 'worker' | 'in-thread';
}

export type DatabaseKind = 'postgres' | 'pglite';

/** `DATABASE_URL` if set, else PGlite under `CANOPY_DATA_DIR` (default `.data`). */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL };
  return { dataDir: env.CANOPY_DATA_DIR || '.data' };
}

export function databaseKind(config: DatabaseConfig): DatabaseKind {
  return config.databaseUrl ? 'postgres' : 'pglite';
}

let defaultMigrationsDir: string | undefined;

/** `prisma/migrations` of the repository, found upwards from this file (works from src and dist). */
export function resolveMigrationsDir(config: Pick<DatabaseConfig, 'migrationsDir'> = {}): string {
  if (config.migrationsDir) return path.resolve(config.migrationsDir);
  if (process.env.CANOPY_MIGRATIONS_DIR) return path.resolve(process.env.CANOPY_MIGRATIONS_DIR);
  if (defaultMigrationsDir) return defaultMigrationsDir;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return (defaultMigrationsDir = candidate);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return (defaultMigrationsDir = path.resolve('prisma', 'migrations'));
}

export interface DriverConnection {
  kind: DatabaseKind;
  /** Pass to `new PrismaClient({ adapter })`, or to the migration functions. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The embedded database, when kind is 'pglite'. */
  pglite?: PGlite;
  /** The connection pool Prisma's adapter uses: PostgreSQL's, or the one connection of the PGlite worker. */
  pool?: pg.Pool;
  /** The PGlite worker thread, in `worker` mode. */
  worker?: PGliteWorker;
  /** Closes the embedded database or the pool. */
  close(): Promise<void>;
}

export async function openDriver(config: DatabaseConfig): Promise<DriverConnection> {
  if (config.databaseUrl) {
    // One pool for Prisma and for the hot path's own statements (SqlClient).
    const pool = new pg.Pool({ connectionString: config.databaseUrl });
    pool.on('error', () => {}); // an idle connection dropped by the server: the next query reconnects
    let ended: Promise<void> | undefined;
    return {
      kind: 'postgres',
      adapterFactory: new PrismaPg(pool),
      pool,
      close: () => (ended ??= pool.end()),
    };
  }
  const dataDir = config.dataDir || '.data';
  if (pgliteMode(config) === 'worker') return openPGliteWorker(dataDir);
  const pglite = await openPGlite(dataDir);
  return {
    kind: 'pglite',
    // pglite-prisma-adapter is typed against its own copy of @prisma/driver-adapter-utils.
    adapterFactory: new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory,
    pglite,
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}

export function pgliteMode(config: DatabaseConfig): 'worker' | 'in-thread' {
  return config.pgliteMode ?? ((config.dataDir || '.data').startsWith('memory://') ? 'in-thread' : 'worker');
}

async function openPGliteWorker(dataDir: string): Promise<DriverConnection> {
  const worker = await startPGliteWorker(dataDir);
  // One connection: PGlite is one session, so statements and transactions queue here, never interleave.
  const pool = new pg.Pool({
    host: worker.socketDir,
    port: EMBEDDED_SOCKET_PORT,
    user: 'postgres',
    database: 'postgres',
    max: 1,
    idleTimeoutMillis: 0,
    stream: () => worker.stream(),
  });
  pool.on('error', () => {}); // the worker stopped: queries fail with worker.failure() as their reason
  let ended: Promise<void> | undefined;
  return {
    kind: 'pglite',
    adapterFactory: new PrismaPg(pool),
    pool,
    worker,
    close: () =>
      (ended ??= (async () => {
        try {
          await pool.end();
        } finally {
          await worker.close();
        }
      })()),
  };
}

/** Any constant distinct from Prisma's own (72707369), which its engine may take on its connection. */
const MIGRATION_LOCK_KEY = 7_263_001_447;

/**
 * Applies pending migrations to the database of `config` (opening and closing its own connection)
 * or, given `driver`, through that connection. On PostgreSQL the whole run holds a session-level
 * advisory lock, so concurrent callers apply each migration once and all wait for the schema.
 */
export async function migrateDatabase(
  config: DatabaseConfig,
  options: MigrateOptions & { driver?: DriverConnection } = {},
): Promise<string[]> {
  const migrationsDir = resolveMigrationsDir(config);
  const driver = options.driver ?? (await openDriver(config));
  try {
    if (driver.kind === 'pglite' || !config.databaseUrl) {
      return await applyMigrations(driver.adapterFactory, migrationsDir, options);
    }
    const client = new pg.Client({ connectionString: config.databaseUrl });
    client.on('error', () => {}); // a dropped connection surfaces as a failed query instead
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        return await applyMigrations(driver.adapterFactory, migrationsDir, options);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      await client.end();
    }
  } finally {
    if (!options.driver) await driver.close();
  }
}
