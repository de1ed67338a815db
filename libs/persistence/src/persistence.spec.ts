import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackends, type TestDatabase } from '../../../test/support/databases.js';
import {
  diffToNewMigration,
  migrateDatabase,
  openDatabase,
  Prisma,
  readMigrations,
  resolveMigrationsDir,
  type Database,
  type DatabaseConfig,
} from './index.js';

const backends = await testBackends();
const migrationsDir = resolveMigrationsDir();
const schemaPath = path.join(migrationsDir, '..', 'schema.prisma');
const migrationNames = (await readMigrations(migrationsDir)).migrationDirectories.map((d) => d.path);

describe.each(backends)('persistence on $name', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), prefix));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  async function fresh(): Promise<TestDatabase> {
    const db = await backend.create();
    cleanups.push(() => db.drop());
    return db;
  }

  async function open(config: DatabaseConfig): Promise<Database> {
    const database = await openDatabase(config);
    cleanups.push(() => database.close());
    return database;
  }

  it('applies the migrations once, recorded as prisma migrate deploy does', async () => {
    const db = await fresh();
    const { prisma, kind } = await open(db.config);
    expect(kind).toBe(backend.name);
    const rows = await prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    if (backend.name === 'postgres') {
      // Another run against the same database applies nothing.
      expect(await migrateDatabase(db.config)).toEqual([]);
    }
  });

  it('creates and reads a merchant, runs interactive transactions and raw upserts', async () => {
    const { prisma } = await open((await fresh()).config);
    await prisma.merchant.create({ data: { id: 'm_1', name: 'Acme' } });
    const merchant = await prisma.merchant.findUniqueOrThrow({ where: { id: 'm_1' } });
    expect(merchant).toMatchObject({ id: 'm_1', name: 'Acme' });
    expect(merchant.createdAt).toBeInstanceOf(Date);

    // Interactive transaction: commit, then a rollback that leaves nothing behind.
    await prisma.$transaction(async (tx) => {
      await tx.merchant.create({ data: { id: 'm_2', name: 'Beta' } });
      expect(await tx.merchant.count()).toBe(2);
    });
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.merchant.create({ data: { id: 'm_3', name: 'Gamma' } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await prisma.merchant.findMany({ orderBy: { id: 'asc' } })).map((m) => m.id)).toEqual(['m_1', 'm_2']);

    // INSERT ... ON CONFLICT DO NOTHING RETURNING: the first claim wins, the second gets no row.
    const claim = (requestHash: string) => {
      const now = new Date();
      const expires = new Date(now.getTime() + 86_400_000);
      return prisma.$queryRaw<{ merchant_id: string; key: string; request_hash: string }[]>`
        INSERT INTO idempotency_records
          (merchant_id, key, request_hash, state, resource_id, created_at, updated_at, expires_at)
        VALUES ('m_1', 'key-1', ${requestHash}, 'in_progress', 'pay_1', ${now}, ${now}, ${expires})
        ON CONFLICT DO NOTHING
        RETURNING merchant_id, key, request_hash`;
    };
    expect(await claim('h1')).toEqual([{ merchant_id: 'm_1', key: 'key-1', request_hash: 'h1' }]);
    expect(await claim('h2')).toEqual([]);
    const record = await prisma.idempotencyRecord.findUniqueOrThrow({
      where: { merchantId_key: { merchantId: 'm_1', key: 'key-1' } },
    });
    expect(record.requestHash).toBe('h1');
    expect(record.expiresAt.getTime()).toBeGreaterThan(Date.now());

    // The same claim inside an interactive transaction (as the gateway does).
    const inTx = await prisma.$transaction(
      (tx) => tx.$queryRaw<{ key: string }[]>`
        INSERT INTO idempotency_records
          (merchant_id, key, request_hash, state, resource_id, updated_at, expires_at)
        VALUES ('m_2', 'key-1', 'h', 'in_progress', 'pay_2', now(), now())
        ON CONFLICT DO NOTHING RETURNING key`,
    );
    expect(inTx).toEqual([{ key: 'key-1' }]);
  });

  it('rejects a failing migration instead of recording it as applied', async () => {
    const dir = await tempDir('canopy-migrations-');
    await cp(migrationsDir, dir, { recursive: true });
    await mkdir(path.join(dir, '99990101000000_broken'));
    await writeFile(path.join(dir, '99990101000000_broken', 'migration.sql'), 'ALTER TABLE "nope" ADD COLUMN "x" INT;\n');
    // PGlite on disk here, so that the state survives the failed open.
    const config: DatabaseConfig =
      backend.name === 'pglite' ? { dataDir: await tempDir('canopy-pglite-') } : (await fresh()).config;
    await expect(openDatabase({ ...config, applyMigrations: true, migrationsDir: dir })).rejects.toThrow(/nope/);
    const database = await open({ ...config, applyMigrations: false });
    const rows = await database.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual([...migrationNames, '99990101000000_broken']);
    expect(rows.at(-1)?.finished_at).toBeNull();
  });

  // Only PostgreSQL is shared by several processes and migrated as a deploy step.
  if (backend.name === 'postgres') {
    it('lets two processes open and migrate one fresh database at once', async () => {
      const db = await fresh();
      const [a, b] = await Promise.all([open(db.config), open(db.config)]);
      const rows = await a.prisma.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`;
      expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
      await a.prisma.merchant.create({ data: { id: 'm_a', name: 'A' } });
      expect(await b.prisma.merchant.count()).toBe(1);
    });

    it('holds no advisory lock once open, so the next process migrates without waiting', async () => {
      const db = await fresh();
      const database = await open(db.config);
      await database.sql.query(Prisma.sql`SELECT 1`); // the shared pool is in use
      const locks = await database.prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
         WHERE l.locktype = 'advisory' AND d.datname = current_database()`;
      expect(locks).toEqual([{ n: 0 }]);
    });

    it('leaves PostgreSQL migrations to the deploy step by default', async () => {
      const db = await fresh();
      const database = await open({ ...db.config, applyMigrations: undefined });
      const tables = await database.prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`;
      expect(tables).toEqual([{ n: 0 }]);
    });
  }
});

describe('PGlite on disk', () => {
  it('keeps data across reopen and applies nothing twice', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'canopy-pglite-'));
    try {
      const first = await openDatabase({ dataDir });
      await first.prisma.merchant.create({ data: { id: 'm_disk', name: 'Disk' } });
      await first.close();
      await first.close(); // idempotent

      expect(await migrateDatabase({ dataDir })).toEqual([]);
      const second = await openDatabase({ dataDir });
      try {
        expect(await second.prisma.merchant.findUnique({ where: { id: 'm_disk' } })).toMatchObject({ name: 'Disk' });
        const count = await second.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM _prisma_migrations`;
        expect(count).toEqual([{ n: migrationNames.length }]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('diffToNewMigration', () => {
  it('finds nothing to do between the migrations and the schema', async () => {
    expect(await diffToNewMigration({ migrationsDir, schemaPath })).toBeNull();
  });

  it('diffs from empty when there are no migrations', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'canopy-empty-'));
    try {
      expect(await diffToNewMigration({ migrationsDir: empty, schemaPath })).toContain('CREATE TABLE "merchants"');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
