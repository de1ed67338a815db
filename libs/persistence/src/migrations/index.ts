export {
  applyMigrations,
  diffToNewMigration,
  isEmptyMigration,
  migrationTimestamp,
  readMigrations,
  writeNewMigration,
  MIGRATION_FILE,
  MIGRATION_LOCK_FILE,
  type DiffOptions,
  type MigrateOptions,
} from './migrate.js';
export { loadSchemaEngineWasm, openSchemaEngine, type EngineLog, type EngineSession } from './schema-engine.js';
