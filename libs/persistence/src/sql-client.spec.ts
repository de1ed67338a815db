import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends, type TestDatabase } from '../../../test/support/databases.js';
import { type Database, openDatabase, Prisma } from './index.js';

describe.each(await testBackends())('SqlClient on $name', (backend) => {
  let db: TestDatabase;
  let database: Database;
  const zone = process.env.TZ;

  beforeAll(async () => {
    db = await backend.create();
    database = await openDatabase(db.config);
  });
  afterAll(async () => {
    process.env.TZ = zone ?? '';
    if (zone === undefined) delete process.env.TZ;
    await database.close();
    await db.drop();
  });

  it('writes a Date as the same instant Prisma reads back, whatever the process time zone', async () => {
    process.env.TZ = 'America/New_York';
    const at = new Date('2026-03-08T06:30:00.123Z'); // New York's DST switch day, a few hours after it
    await database.sql.query(Prisma.sql`INSERT INTO merchants (id, name, created_at) VALUES ('mer_tz', 'Zone', ${at})`);
    const merchant = await database.prisma.merchant.findUniqueOrThrow({ where: { id: 'mer_tz' } });
    expect(merchant.createdAt.toISOString()).toBe(at.toISOString());
  });

  it('sends parameters, never interpolates them', async () => {
    const hostile = "x'); DROP TABLE merchants; --";
    const rows = await database.sql.query<{ echoed: string }>(Prisma.sql`SELECT ${hostile}::text AS echoed`);
    expect(rows).toEqual([{ echoed: hostile }]);
    expect(await database.prisma.merchant.count()).toBe(1);
  });
});
