export { openDatabase, type Database } from './database.js';
export { poolSqlClient, prismaSqlClient, type SqlClient } from './sql-client.js';
export {
  databaseConfigFromEnv,
  databaseKind,
  migrateDatabase,
  openDriver,
  pgliteMode,
  resolveMigrationsDir,
  type DatabaseConfig,
  type DatabaseKind,
  type DriverConnection,
} from './driver.js';
export { applyMigrations, diffToNewMigration, readMigrations, writeNewMigration } from './migrations/index.js';
export { DATABASE, DatabaseHealth, InjectPrisma, PRISMA, PersistenceModule, SQL, type PersistenceModuleAsyncOptions } from './persistence.module.js';
export * from './generated/prisma/client.js';
export {
  combine,
  part,
  step,
  UnitOfWorkRunner,
  writeParts,
  type StatementPart,
  type Transaction,
  type TransactionStep,
  type UnitOfWork,
  type Write,
} from './unit-of-work.js';
export { EMBEDDED_SOCKET_PORT, startPGliteWorker, type PGliteWorker } from './pglite-worker.js';
