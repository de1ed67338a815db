import { Logger } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { testBackends } from '../../../../test/support/databases.js';
import type { Database } from '#persistence';
import { onSuiteDatabase, testKey, vaultOn } from './test-support/vault-on.js';
import { kekIdOf } from './vault-key-ring.js';

const backends = await testBackends();
const [A, B] = [testKey(1), testKey(2)];
const CARD = { number: '4242424242424242', expMonth: 1, expYear: 2031 };

describe.each(backends)('the background vault re-seal on $name', (backend) => {
  let database: Database;
  onSuiteDatabase(backend, (opened) => (database = opened));

  const kekIds = async () => new Set((await database.prisma.vaultCard.findMany({ select: { kekId: true } })).map((row) => row.kekId));
  const fresh = async () => {
    await database.prisma.vaultCard.deleteMany();
    await database.prisma.cardToken.deleteMany();
    await database.prisma.vaultKey.deleteMany();
  };

  it('re-seals at start, then again every interval: cards a process on the old key seals meanwhile are moved too', async () => {
    await fresh();
    const stillOld = vaultOn(database, { key: A });
    await stillOld.vault.tokenize('mer_1', CARD);
    const log = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => {});
    const rotated = vaultOn(database, { key: B, previousKey: A, resealIntervalMs: 20 });
    const job = rotated.resealJob();
    job.onApplicationBootstrap();
    try {
      await expect.poll(kekIds, { timeout: 5_000, interval: 10 }).toEqual(new Set([kekIdOf(B)]));
      // The pass logs after its commit: the rows may change before the line is written.
      await vi.waitFor(() => expect(log).toHaveBeenCalledWith('re-sealed 1 vault card(s); every card is sealed with the current CANOPY_VAULT_KEY'), { timeout: 5_000, interval: 10 });
      // The rolling deploy: the old process keeps sealing with the previous key after that pass.
      const late = await stillOld.vault.tokenize('mer_1', CARD);
      await expect.poll(async () => (await database.prisma.vaultCard.findUniqueOrThrow({ where: { id: late.card.id } })).kekId, { timeout: 5_000, interval: 10 }).toBe(kekIdOf(B));
      expect(await rotated.status.cardsOnOtherKeys()).toBe(0);
    } finally {
      await job.onModuleDestroy();
      log.mockRestore();
    }
  });

  it('runs nothing without a previous key', async () => {
    await fresh();
    await vaultOn(database, { key: A }).vault.tokenize('mer_1', CARD);
    const plain = vaultOn(database, { key: A, resealIntervalMs: 10 });
    const run = vi.spyOn(plain.reseal, 'run');
    const job = plain.resealJob();
    job.onApplicationBootstrap();
    await new Promise((resolve) => setTimeout(resolve, 60));
    await job.onModuleDestroy();
    expect(run).not.toHaveBeenCalled();
  });

  it('shutdown stops the pass in progress after its batch, waits for it, and no pass follows', async () => {
    await fresh();
    const stillOld = vaultOn(database, { key: A });
    for (let i = 0; i < 3; i += 1) await stillOld.vault.tokenize('mer_1', CARD);
    const rotated = vaultOn(database, { key: B, previousKey: A, resealIntervalMs: 10 });
    const read = rotated.cards.dataKeysSealedBy.bind(rotated.cards);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    vi.spyOn(rotated.cards, 'dataKeysSealedBy').mockImplementation(async (ids, after) => {
      reads += 1;
      await held;
      return read(ids, after, 1);
    });
    const log = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => {});
    const job = rotated.resealJob();
    job.onApplicationBootstrap();
    await vi.waitFor(() => expect(reads).toBe(1));
    let closed = false;
    const closing = job.onModuleDestroy().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(closed).toBe(false);
    release();
    await closing;
    expect((await database.prisma.vaultCard.findMany({ where: { kekId: kekIdOf(A) } })).length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(reads).toBe(1);
    expect(log).toHaveBeenCalledWith('re-sealed 1 vault card(s); 2 still sealed with another key');
    log.mockRestore();
  });
});
