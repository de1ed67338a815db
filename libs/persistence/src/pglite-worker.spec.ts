import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { openDriver, pgliteMode } from './driver.js';
import { Prisma } from './generated/prisma/client.js';
import { poolSqlClient } from './sql-client.js';

// PGlite in its worker thread, as `npm start` opens the embedded database (a folder).
describe('PGlite in a worker thread', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'canopy-pglite-worker-'));
  const dataDir = path.join(root, 'data');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is the mode of a folder; memory:// stays in the thread', () => {
    expect(pgliteMode({ dataDir })).toBe('worker');
    expect(pgliteMode({})).toBe('worker');
    expect(pgliteMode({ dataDir: 'memory://' })).toBe('in-thread');
  });

  it('migrates at open, serves concurrent statements and transactions without interleaving, and keeps its data on disk', async () => {
    const database = await openDatabase({ dataDir });
    try {
      await database.sql.query(Prisma.sql`CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)`);
      await database.sql.query(Prisma.sql`INSERT INTO counter VALUES (1, 0)`);
      // Each transaction reads then writes: interleaved with another, increments would be lost.
      const increment = () =>
        database.prisma.$transaction(async (tx) => {
          const [row] = await tx.$queryRaw<{ n: number }[]>`SELECT n FROM counter WHERE id = 1`;
          await tx.$executeRaw`UPDATE counter SET n = ${row!.n + 1} WHERE id = 1`;
        });
      const reads = Array.from({ length: 20 }, (_, i) => database.sql.query<{ v: number }>(Prisma.sql`SELECT ${i}::int AS v`));
      await Promise.all([...Array.from({ length: 10 }, increment), ...reads]);
      expect((await Promise.all(reads)).map((rows) => rows[0]!.v)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      const tables = await database.prisma.$queryRaw<{ name: string }[]>`SELECT table_name AS name FROM information_schema.tables WHERE table_name = '_prisma_migrations'`;
      expect(tables).toHaveLength(1);
    } finally {
      await database.close();
    }
    const reopened = await openDatabase({ dataDir });
    try {
      expect(await reopened.sql.query<{ n: number }>(Prisma.sql`SELECT n FROM counter WHERE id = 1`)).toEqual([{ n: 10 }]);
    } finally {
      await reopened.close();
    }
  });

  it('opens a folder the in-thread mode wrote (an existing .data keeps working)', async () => {
    const earlier = path.join(root, 'earlier');
    const inThread = await openDatabase({ dataDir: earlier, pgliteMode: 'in-thread' });
    await inThread.prisma.$executeRaw`CREATE TABLE kept (v text)`;
    await inThread.prisma.$executeRaw`INSERT INTO kept VALUES ('from the thread')`;
    await inThread.close();
    const worker = await openDatabase({ dataDir: earlier });
    try {
      expect(await worker.sql.query(Prisma.sql`SELECT v FROM kept`)).toEqual([{ v: 'from the thread' }]);
    } finally {
      await worker.close();
    }
  });

  it('a failed transaction leaves nothing open for the next statement', async () => {
    const database = await openDatabase({ dataDir });
    try {
      await expect(
        database.prisma.$transaction(async (tx) => {
          await tx.$executeRaw`UPDATE counter SET n = 99 WHERE id = 1`;
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(await database.sql.query<{ n: number }>(Prisma.sql`SELECT n FROM counter WHERE id = 1`)).toEqual([{ n: 10 }]);
    } finally {
      await database.close();
    }
  });

  it('a crashed worker fails the next query with why, instead of hanging', async () => {
    const driver = await openDriver({ dataDir });
    try {
      const sql = poolSqlClient(driver.pool!);
      expect(await sql.query(Prisma.sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
      await driver.worker!.thread.terminate();
      await expect(sql.query(Prisma.sql`SELECT 1`)).rejects.toThrow();
      await expect(sql.query(Prisma.sql`SELECT 1`)).rejects.toThrow('the embedded database (PGlite worker) stopped unexpectedly');
    } finally {
      await driver.close();
    }
  });
});
