import { Prisma, type SqlClient } from '#persistence';

/**
 * One named, data-modifying part of a fused statement (`WITH name AS (INSERT … RETURNING …)`).
 * Several writes become one statement, so one round trip and one atomic commit; PostgreSQL runs
 * every such part exactly once, whether or not the final query reads it.
 */
export interface Cte {
  name: string;
  sql: Prisma.Sql;
}

export interface FusedWrites {
  ctes: readonly Cte[];
  /** Names of parts that must return at least one row, or the whole statement rolls back. */
  mustAffect: readonly string[];
}

export function cte(name: string, sql: Prisma.Sql): Cte {
  return { name, sql };
}

/**
 * `WITH … SELECT` over `writes`. With `mustAffect`, the final query divides by the parts' row
 * counts: one that returned no row divides by zero, which aborts the statement and with it every
 * write of the other parts. Without, it runs `select` (which may read the parts' RETURNING rows).
 */
export function fusedStatement(writes: FusedWrites, select: Prisma.Sql = Prisma.sql`SELECT 1 AS ok`): Prisma.Sql {
  const parts = writes.ctes.map((part) => Prisma.sql`${Prisma.raw(part.name)} AS (${part.sql})`);
  const counts = writes.mustAffect.map((name) => Prisma.raw(`(SELECT count(*) FROM ${name})`));
  const final = counts.length === 0 ? select : Prisma.sql`SELECT 1 / (${Prisma.join(counts, ' * ')})::int AS ok`;
  return Prisma.sql`WITH ${Prisma.join(parts, ', ')} ${final}`;
}

/** Runs a fused statement; a failed guard surfaces as `what` instead of PostgreSQL's division by zero. */
export async function runFused<T = unknown>(db: SqlClient, statement: Prisma.Sql, what: string): Promise<T[]> {
  try {
    return await db.query<T>(statement);
  } catch (error) {
    if (/division by zero/i.test(String((error as Error).message))) throw new Error(`${what}: a required row was missing, nothing was written`, { cause: error });
    throw error;
  }
}
