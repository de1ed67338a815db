// The database backends a suite runs on: always an in-memory PGlite, plus a real PostgreSQL when
// one is reachable (DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test). Each
// `create()` gives a fresh, isolated, empty database; migrations are applied when it is opened
// (`applyMigrations: true` is in the config). With REQUIRE_SERVICES=1 an unreachable PostgreSQL
// is an error instead of a skipped backend, so CI cannot pass by testing PGlite alone.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '#persistence';

export interface TestDatabase {
  config: DatabaseConfig;
  /** Removes the database (PostgreSQL: DROP DATABASE ... WITH (FORCE)). Close clients first. */
  drop(): Promise<void>;
}

export interface TestBackend {
  name: 'pglite' | 'postgres';
  create(): Promise<TestDatabase>;
}

export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export const pgliteBackend: TestBackend = {
  name: 'pglite',
  async create() {
    return { config: { dataDir: 'memory://', applyMigrations: true }, drop: async () => {} };
  },
};

/**
 * PGlite in a folder of its own, as `npm start` opens the embedded database: in a worker thread,
 * reached through a pg pool (slower to open than the in-memory one: for the suites on that path).
 */
export const pgliteWorkerBackend: TestBackend = {
  name: 'pglite',
  async create() {
    const root = await mkdtemp(path.join(tmpdir(), 'canopy-test-pglite-'));
    return {
      config: { dataDir: path.join(root, 'data'), applyMigrations: true, pgliteMode: 'worker' },
      drop: () => rm(root, { recursive: true, force: true }),
    };
  },
};

export function postgresBackend(adminUrl: string): TestBackend {
  return {
    name: 'postgres',
    async create() {
      const database = `canopy_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${database}"`));
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      let dropped = false;
      return {
        config: { databaseUrl: url.toString(), applyMigrations: true },
        async drop() {
          if (dropped) return;
          dropped = true;
          await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
        },
      };
    },
  };
}

let reachable: Promise<string | undefined> | undefined;

/** The error message if PostgreSQL cannot be reached, else undefined. Checked once per process. */
function checkPostgres(adminUrl: string): Promise<string | undefined> {
  reachable ??= withAdmin(adminUrl, (client) => client.query('SELECT 1')).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)) || 'connection failed',
  );
  return reachable;
}

export async function testBackends(env: NodeJS.ProcessEnv = process.env): Promise<TestBackend[]> {
  const adminUrl = env.DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const problem = await checkPostgres(adminUrl);
  if (!problem) return [pgliteBackend, postgresBackend(adminUrl)];
  const message = `PostgreSQL at ${redact(adminUrl)} is unreachable (${problem})`;
  if (env.REQUIRE_SERVICES === '1') throw new Error(`${message}, and REQUIRE_SERVICES=1.`);
  warnOnce(`${message}: running on PGlite only.`);
  return [pgliteBackend];
}

/** Same as `testBackends()`. */
export const testDatabases = testBackends;

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

let warned = false;
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  console.warn(message);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
