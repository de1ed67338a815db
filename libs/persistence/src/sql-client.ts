import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Prisma, PrismaClient } from './generated/prisma/client.js';

/**
 * Runs one SQL statement, written with Prisma's `Prisma.sql` template (parameters never
 * interpolated), and returns its rows. For single statements on per-request hot paths, where the
 * ORM's client runtime costs more CPU than the statement itself (bench/prisma-vs-pg.mjs).
 * Timestamps come back as PostgreSQL's text unless the statement converts them; send only columns
 * you need.
 */
export interface SqlClient {
  query<Row = Record<string, unknown>>(statement: Prisma.Sql): Promise<Row[]>;
}

/**
 * Through the pg pool Prisma itself uses: one round trip, no client runtime in between. Each
 * statement text is a named prepared statement, so every connection parses it once and then
 * sends only its values (the hot path's statements come in a handful of shapes).
 */
export function poolSqlClient(pool: pg.Pool): SqlClient {
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = `canopy_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      if (names.size >= MAX_PREPARED) names.clear();
      names.set(text, name);
    }
    return name;
  };
  return {
    async query<Row>(statement: Prisma.Sql) {
      // Prisma.Sql builds `text` anew on every read: read it once.
      const text = statement.text;
      const result = await pool.query({ name: nameOf(text), text, values: statement.values.map(toDriverValue) });
      return result.rows as Row[];
    },
  };
}

/** Distinct statement texts remembered; past it the map starts over (names stay stable). */
const MAX_PREPARED = 1_000;

/**
 * Through Prisma (`$queryRaw`): used with PGlite in this thread (`memory://`), whose one session Prisma's adapter serializes
 * (a statement sent around it could land inside another request's open transaction), and for
 * statements inside an interactive transaction.
 */
export function prismaSqlClient(prisma: Pick<PrismaClient, '$queryRaw'>): SqlClient {
  return {
    query: <Row>(statement: Prisma.Sql) => prisma.$queryRaw<Row[]>(statement),
  };
}

/**
 * Dates as UTC wall-clock text, the way Prisma's adapters send them: Prisma's DateTime columns are
 * `timestamp(3)` without a zone and hold UTC, while pg would send a Date in the process's zone.
 */
function toDriverValue(value: unknown): unknown {
  if (value instanceof Date) {
    const iso = value.toISOString(); // 2026-12-02T19:06:08.123Z
    return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  }
  return value;
}
