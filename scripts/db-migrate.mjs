#!/usr/bin/env node
// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL if set, else to the embedded
// PGlite under CANOPY_DATA_DIR (default .data), through Prisma's schema engine compiled to WASM.
// Same bookkeeping as `prisma migrate deploy` (the `_prisma_migrations` table).
import { loadPersistence, repoRoot } from './lib/persistence.mjs';

process.chdir(repoRoot);
const { databaseConfigFromEnv, migrateDatabase, resolveMigrationsDir } = await loadPersistence();
const config = databaseConfigFromEnv();
const target = config.databaseUrl ? redact(config.databaseUrl) : `PGlite ${config.dataDir}`;
const started = Date.now();
try {
  const applied = await migrateDatabase(config, {
    log: ({ level, message }) => {
      if (level === 'ERROR' || level === 'WARN' || message.startsWith('Applying')) console.log(`  ${message}`);
    },
  });
  const ms = Date.now() - started;
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) from ${resolveMigrationsDir(config)} to ${target} in ${ms} ms: ${applied.join(', ')}`
      : `${target} is up to date (${ms} ms).`,
  );
} catch (error) {
  console.error(`Migration of ${target} failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
