#!/usr/bin/env node
// `npm run db:new -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
// SQL that takes the database from the end state of the existing migrations (replayed on a fresh
// in-memory PGlite, the shadow database) to prisma/schema.prisma. Touches no real database.
import path from 'node:path';
import { loadPersistence, repoRoot } from './lib/persistence.mjs';

const args = process.argv.slice(2);
const name = args.find((arg) => !arg.startsWith('-'));
if (!name) {
  console.error('Usage: npm run db:new -- <name> [--allow-empty]');
  process.exit(2);
}
process.chdir(repoRoot);
const { diffToNewMigration, writeNewMigration, resolveMigrationsDir } = await loadPersistence();
const migrationsDir = resolveMigrationsDir();
const schemaPath = path.join(repoRoot, 'prisma', 'schema.prisma');
try {
  const sql = await diffToNewMigration({ migrationsDir, schemaPath });
  if (sql === null && !args.includes('--allow-empty')) {
    console.log('The migrations already match prisma/schema.prisma: nothing to write (pass --allow-empty for an empty migration).');
  } else {
    const dir = await writeNewMigration({ migrationsDir, name, sql: sql ?? '-- This is an empty migration.\n' });
    console.log(`Wrote ${path.relative(repoRoot, path.join(dir, 'migration.sql'))}. Review it, then run npm run db:migrate.`);
  }
} catch (error) {
  console.error(`db:new failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
