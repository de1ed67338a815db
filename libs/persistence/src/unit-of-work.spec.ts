import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testBackends } from '../../../test/support/databases.js';
import { type Database, openDatabase, part, Prisma, step, type UnitOfWork, UnitOfWorkRunner } from './index.js';

const backends = await testBackends();

/** A merchant row per name: the smallest table of the schema, enough to see what was written. */
const insertMerchant = (name: string, id: string, from?: string) =>
  part(name, Prisma.sql`INSERT INTO merchants (id, name) SELECT ${id}::text, ${name}::text ${from ? Prisma.raw(`FROM ${from}`) : Prisma.empty} RETURNING id`);
const nothing = (name: string) => part(name, Prisma.sql`SELECT id FROM merchants WHERE false`);

describe.each(backends)('units of work on $name', (backend) => {
  let database: Database;
  let runner: UnitOfWorkRunner;
  let drop: () => Promise<void>;
  let seq = 0;
  const id = () => `mer_uow_${++seq}`;
  const exists = async (merchantId: string) => (await database.prisma.merchant.count({ where: { id: merchantId } })) === 1;

  beforeAll(async () => {
    const created = await backend.create();
    drop = created.drop;
    database = await openDatabase(created.config);
    runner = new UnitOfWorkRunner(database.prisma, database.sql);
  });
  afterAll(async () => {
    await database.close();
    await drop();
  });

  it('runs a unit of statement parts as one statement, outside any transaction', async () => {
    const [a, b] = [id(), id()];
    const query = vi.spyOn(database.sql, 'query');
    const transaction = vi.spyOn(database.prisma, '$transaction');
    expect(await runner.commit({ writes: [insertMerchant('a', a), insertMerchant('b', b)] }, 'two merchants')).toBe(true);
    expect(query).toHaveBeenCalledTimes(1);
    expect(query.mock.calls[0]![0].text).toMatch(/^WITH a AS \(.*\), b AS \(/s);
    expect(transaction).not.toHaveBeenCalled();
    query.mockRestore();
    transaction.mockRestore();
    expect([await exists(a), await exists(b)]).toEqual([true, true]);
  });

  it('writes nothing when a required part returns no row, and says what was missing', async () => {
    const a = id();
    const unit: UnitOfWork = { writes: [insertMerchant('a', a), nothing('missing')], required: ['missing'] };
    await expect(runner.commit(unit, 'the guarded unit')).rejects.toThrow('the guarded unit: a required row was missing, nothing was written');
    expect(await exists(a)).toBe(false);
  });

  it('answers false when the gate returns no row; the parts reading it write nothing', async () => {
    const [taken, after] = [id(), id()];
    await runner.commit({ writes: [insertMerchant('seed', taken)] }, 'seed');
    const claim = part('claim', Prisma.sql`INSERT INTO merchants (id, name) VALUES (${taken}, 'again') ON CONFLICT (id) DO NOTHING RETURNING id`);
    expect(await runner.commit({ writes: [claim, insertMerchant('after', after, 'claim')], gate: 'claim' }, 'gated')).toBe(false);
    expect(await exists(after)).toBe(false);
    const free = id();
    const claimFree = part('claim', Prisma.sql`INSERT INTO merchants (id, name) VALUES (${free}, 'first') ON CONFLICT (id) DO NOTHING RETURNING id`);
    expect(await runner.commit({ writes: [claimFree, insertMerchant('after', after, 'claim')], gate: 'claim' }, 'gated')).toBe(true);
    expect([await exists(free), await exists(after)]).toEqual([true, true]);
  });

  it('runs a unit with a transaction step in one transaction: a refusal undoes the parts before it', async () => {
    const [before, inside] = [id(), id()];
    const refusing = step(async (tx) => {
      await tx.merchant.create({ data: { id: inside, name: 'inside' } });
      throw new Error('refused after reading');
    });
    await expect(runner.commit({ writes: [insertMerchant('before', before), refusing] }, 'refused')).rejects.toThrow('refused after reading');
    expect([await exists(before), await exists(inside)]).toEqual([false, false]);
  });

  it('in a transaction, stops at the gate when it returns no row: later steps never run', async () => {
    const taken = id();
    await runner.commit({ writes: [insertMerchant('seed', taken)] }, 'seed');
    const claim = part('claim', Prisma.sql`INSERT INTO merchants (id, name) VALUES (${taken}, 'again') ON CONFLICT (id) DO NOTHING RETURNING id`);
    const later = vi.fn(async () => {});
    expect(await runner.commit({ writes: [claim, step(later)], gate: 'claim' }, 'gated')).toBe(false);
    expect(later).not.toHaveBeenCalled();
  });

  it('a step answering false ends the unit there: it answers false and writes nothing after it', async () => {
    const [first, after] = [id(), id()];
    const unit: UnitOfWork = { writes: [insertMerchant('first', first), step(async () => false), insertMerchant('after', after)] };
    expect(await runner.commit(unit, 'stopped')).toBe(false);
    expect([await exists(first), await exists(after)]).toEqual([true, false]);
  });

  it('fuses the parts after a step into one statement within the transaction, guard included', async () => {
    const [a, b] = [id(), id()];
    const seen: string[] = [];
    const unit: UnitOfWork = {
      writes: [step(async (tx) => void seen.push(String(await tx.merchant.count()))), insertMerchant('a', a), nothing('missing'), insertMerchant('b', b)],
      required: ['missing'],
    };
    await expect(runner.commit(unit, 'late guard')).rejects.toThrow('late guard: a required row was missing');
    expect(seen).toHaveLength(1);
    expect([await exists(a), await exists(b)]).toEqual([false, false]);
  });
});
