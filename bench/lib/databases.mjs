// Scratch databases for one run: on the PostgreSQL server DATABASE_URL points to, fresh databases
// `canopy_bench_<ts>_<role>` (created, migrated, dropped at the end); without DATABASE_URL,
// embedded PGlite folders in a temp directory (removed at the end).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { dist } from './dist.mjs';

/**
 * @returns {Promise<{kind: 'postgres'|'pglite', label: string, create(role: string): Promise<{config: object, env: object}>, dropAll(): Promise<void>}>}
 */
export async function scratchDatabases(env = process.env) {
  const { migrateDatabase } = await dist.persistence();
  const adminUrl = env.DATABASE_URL?.trim();
  const stamp = `${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  if (adminUrl) {
    const created = [];
    const label = `PostgreSQL ${redact(adminUrl)} (scratch databases canopy_bench_${stamp}_*)`;
    await withAdmin(adminUrl, (c) => c.query('SELECT 1'));
    return {
      kind: 'postgres',
      label,
      async create(role) {
        const name = `canopy_bench_${stamp}_${role}`;
        await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
        created.push(name);
        const url = new URL(adminUrl);
        url.pathname = `/${name}`;
        const config = { databaseUrl: url.toString(), applyMigrations: true };
        await migrateDatabase(config);
        return { config, env: { DATABASE_URL: config.databaseUrl } };
      },
      async dropAll() {
        for (const name of created.splice(0)) {
          await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch((error) => {
            console.warn(`could not drop ${name}: ${error.message}`);
          });
        }
      },
    };
  }
  const root = await mkdtemp(path.join(tmpdir(), `canopy-bench-${stamp}-`));
  return {
    kind: 'pglite',
    label: `embedded PGlite (temp folders under ${root})`,
    async create(role, { migrate = true } = {}) {
      const dataDir = path.join(root, role);
      const config = { dataDir, applyMigrations: true };
      if (migrate) await migrateDatabase(config);
      return { config, env: { CANOPY_DATA_DIR: dataDir } };
    },
    async dropAll() {
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function withAdmin(adminUrl, fn) {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 15_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
