import { PrismaClient } from './generated/prisma/client.js';
import { migrateDatabase, openDriver, type DatabaseConfig, type DatabaseKind } from './driver.js';
import { poolSqlClient, prismaSqlClient, type SqlClient } from './sql-client.js';

export interface Database {
  prisma: PrismaClient;
  /** Single statements outside transactions, on the same connections as `prisma`. */
  sql: SqlClient;
  kind: DatabaseKind;
  /** Disconnects the client and closes the embedded database. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the database of `config` with the matching driver adapter. PGlite gets its pending
 * migrations applied here (unless `applyMigrations: false`); PostgreSQL only with
 * `applyMigrations: true` (serialized across processes by an advisory lock).
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const driver = await openDriver(config);
  let prisma: PrismaClient | undefined;
  try {
    if (config.applyMigrations ?? driver.kind === 'pglite') {
      // PGlite: through its one instance. PostgreSQL: on a pool of its own, ended afterwards, so
      // the session-level advisory locks Prisma's migration engine takes die with it instead of
      // lingering on a connection of the shared pool (a second process would wait on them).
      await migrateDatabase(config, driver.kind === 'pglite' ? { driver } : {});
    }
    prisma = new PrismaClient({ adapter: driver.adapterFactory });
    await prisma.$connect();
  } catch (error) {
    await prisma?.$disconnect().catch(() => {});
    await driver.close();
    throw error;
  }
  const client = prisma;
  let closing: Promise<void> | undefined;
  return {
    prisma: client,
    sql: driver.pool ? poolSqlClient(driver.pool) : prismaSqlClient(client),
    kind: driver.kind,
    close() {
      closing ??= (async () => {
        try {
          await client.$disconnect();
        } finally {
          await driver.close();
        }
      })();
      return closing;
    },
  };
}
