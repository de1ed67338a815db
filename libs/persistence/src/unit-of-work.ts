import { Prisma, type PrismaClient } from './generated/prisma/client.js';
import { prismaSqlClient, type SqlClient } from './sql-client.js';

/** The client a transaction step writes through: Prisma's interactive transaction. */
export type Transaction = Prisma.TransactionClient;

/**
 * A write that is one data-modifying statement (`INSERT … RETURNING …`, `UPDATE … RETURNING …`),
 * named so that later parts of the same unit can read its rows (`FROM <name>`).
 */
export interface StatementPart {
  name: string;
  sql: Prisma.Sql;
}

/**
 * A write that must read before it decides (lock a row, sum what is reserved). It may refuse by
 * throwing, which rolls back the whole unit, or answer `false` when what it changes is no longer
 * there to change (a conditional update that matched nothing): like an empty gate, nothing after
 * it is written and the unit answers false. Only a transaction can run it.
 */
export interface TransactionStep {
  run(tx: Transaction): Promise<void | false>;
}

export type Write = StatementPart | TransactionStep;

/** One state change, described as its writes; it commits whole or not at all. */
export interface UnitOfWork {
  /** In order: parts and steps see the writes before them. */
  writes: readonly Write[];
  /** Parts that must return at least one row, or nothing of the unit is written. */
  required?: readonly string[];
  /**
   * A part whose empty answer means "not ours" (a claim someone else holds): nothing after it is
   * written. Parts after the gate read it (`SELECT … FROM <gate>`), so they write nothing by
   * themselves; steps after it are not run.
   */
  gate?: string;
}

export function part(name: string, sql: Prisma.Sql): StatementPart {
  return { name, sql };
}

export function step(run: (tx: Transaction) => Promise<void | false>): TransactionStep {
  return { run };
}

/** The writes of several units, in order, as one. */
export function combine(...units: readonly UnitOfWork[]): UnitOfWork {
  const gates = units.flatMap((unit) => (unit.gate ? [unit.gate] : []));
  if (gates.length > 1) throw new Error(`a unit of work has one gate at most (got ${gates.join(', ')})`);
  return { writes: units.flatMap((unit) => unit.writes), required: units.flatMap((unit) => unit.required ?? []), gate: gates[0] };
}

const isPart = (write: Write): write is StatementPart => 'sql' in write;

/** The answer of a unit's final query: whether the gate passed (always, without one). */
interface GateRow {
  passed: number | bigint;
}

/**
 * The required-row guard of a fused statement: the final query divides by the row count of each
 * required part. One that returned no row divides by zero, PostgreSQL aborts the statement, and
 * every other part's write is undone with it: a conditional commit in one round trip. `commit`
 * turns that division by zero into an error that says what was missing.
 */
function requiredRowsGuard(required: readonly string[]): Prisma.Sql {
  if (required.length === 0) return Prisma.sql`1`;
  return Prisma.raw(`1 / (${required.map((name) => `(SELECT count(*) FROM ${name})`).join(' * ')})::int`);
}

/** `WITH <parts> SELECT <guard>, <gate passed>`: several writes, one statement, one commit. */
function fusedStatement(parts: readonly StatementPart[], required: readonly string[], gate?: string): Prisma.Sql {
  const ctes = parts.map((p) => Prisma.sql`${Prisma.raw(p.name)} AS (${p.sql})`);
  const passed = gate ? Prisma.raw(`(SELECT count(*) FROM ${gate})`) : Prisma.sql`1`;
  return Prisma.sql`WITH ${Prisma.join(ctes, ', ')} SELECT ${requiredRowsGuard(required)} AS ok, ${passed} AS passed`;
}

/**
 * Writes `parts` as one fused statement inside a transaction step, for writes the step computes
 * from what it read (e.g. the event of a status it found under a row lock).
 */
export async function writeParts(tx: Transaction, parts: readonly StatementPart[], what: string): Promise<void> {
  if (parts.length > 0) await runFused(prismaSqlClient(tx), fusedStatement(parts, []), what);
}

async function runFused(client: SqlClient, statement: Prisma.Sql, what: string): Promise<GateRow[]> {
  try {
    return await client.query<GateRow>(statement);
  } catch (error) {
    if (/division by zero/i.test(String((error as Error).message))) {
      throw new Error(`${what}: a required row was missing, nothing was written`, { cause: error });
    }
    throw error;
  }
}

/**
 * Runs units of work. A unit of statement parts only is sent as one fused statement (one round
 * trip, atomic by itself): the hot path's shape. A unit with a transaction step runs in one
 * transaction, consecutive parts still fused into one statement each.
 */
export class UnitOfWorkRunner {
  constructor(
    private readonly prisma: PrismaClient,
    /** Single statements outside transactions (the pg pool on PostgreSQL). */
    private readonly sql: SqlClient,
  ) {}

  /**
   * Commits `unit`; `what` names it in errors. Returns false when its gate returned no row or a
   * step answered false (then nothing after it was written), true otherwise.
   */
  async commit(unit: UnitOfWork, what: string): Promise<boolean> {
    if (unit.writes.every(isPart)) return this.runStatement(this.sql, unit.writes, unit, what);
    return this.prisma.$transaction(async (tx) => {
      const client = prismaSqlClient(tx);
      let parts: StatementPart[] = [];
      for (const write of unit.writes) {
        if (isPart(write)) {
          parts.push(write);
          continue;
        }
        if (parts.length > 0 && !(await this.runStatement(client, parts, unit, what))) return false;
        parts = [];
        if ((await write.run(tx)) === false) return false;
      }
      return parts.length > 0 ? this.runStatement(client, parts, unit, what) : true;
    });
  }

  private async runStatement(client: SqlClient, parts: readonly StatementPart[], unit: UnitOfWork, what: string): Promise<boolean> {
    const names = new Set(parts.map((p) => p.name));
    const required = (unit.required ?? []).filter((name) => names.has(name));
    const gate = unit.gate !== undefined && names.has(unit.gate) ? unit.gate : undefined;
    const rows = await runFused(client, fusedStatement(parts, required, gate), what);
    return Number(rows[0]?.passed ?? 0) > 0;
  }
}
