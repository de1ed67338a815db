import { Logger } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { testBackends } from '../../../../test/support/databases.js';
import type { Database } from '#persistence';
import { onSuiteDatabase, testKey, vaultOn } from './test-support/vault-on.js';
import { kekIdOf } from './vault-key-ring.js';
import { VaultUnavailableError } from './vault-unavailable.error.js';

const backends = await testBackends();
const [A, B, C] = [testKey(1), testKey(2), testKey(3)];
const NUMBERS = ['4242424242424242', '5555555555554444', '378282246310005', '6011111111111117', '4000000000000002'];

describe.each(backends)('the vault re-seal on $name', (backend) => {
  let database: Database;
  onSuiteDatabase(backend, (opened) => (database = opened));

  const rows = () => database.prisma.vaultCard.findMany({ orderBy: { id: 'asc' } });
  const fresh = async () => {
    await database.prisma.vaultCard.deleteMany();
    await database.prisma.cardToken.deleteMany();
    await database.prisma.vaultKey.deleteMany();
  };
  /** Cards sealed under `key`, by a gateway configured with it (or by `vault`). */
  const sealUnder = async (key: Buffer, vault = vaultOn(database, { key }).vault) =>
    Promise.all(NUMBERS.map((number) => vault.tokenize('mer_1', { number, expMonth: 1, expYear: 2031 })));

  it('moves every data key and the fingerprint key to the current KEK, in batches; the ciphertexts stay, the cards open with the new key alone', async () => {
    await fresh();
    const tokens = await sealUnder(A);
    const before = await rows();
    expect(new Set(before.map((row) => row.kekId))).toEqual(new Set([kekIdOf(A)]));

    const rotated = vaultOn(database, { key: B, previousKey: A });
    expect(await rotated.reseal.run(2)).toBe(NUMBERS.length);

    const after = await rows();
    expect(after.map((row) => row.kekId)).toEqual(before.map(() => kekIdOf(B)));
    expect(after.map((row) => row.sealedNumber)).toEqual(before.map((row) => row.sealedNumber));
    after.forEach((row, i) => expect(row.sealedDataKey).not.toBe(before[i]!.sealedDataKey));
    expect(await database.prisma.vaultKey.findMany({ select: { id: true, kekId: true } })).toEqual([{ id: 'fingerprint', kekId: kekIdOf(B) }]);

    const onlyB = vaultOn(database, { key: B }).vault;
    for (const [i, token] of tokens.entries()) expect((await onlyB.openCard(token.card.id)).number).toBe(NUMBERS[i]);
    // The fingerprint key is the same key, re-wrapped: the same card fingerprints as before.
    expect((await onlyB.tokenize('mer_1', { number: NUMBERS[0]!, expMonth: 1, expYear: 2031 })).card.fingerprint).toBe(tokens[0]!.card.fingerprint);
    // And the old key alone opens nothing any more.
    await expect(vaultOn(database, { key: A }).vault.openCard(tokens[0]!.card.id)).rejects.toThrow(VaultUnavailableError);

    expect(await rotated.reseal.run()).toBe(0);
  });

  it('does no harm when processes re-seal together: each card is rewritten once', async () => {
    await fresh();
    const tokens = await sealUnder(A);
    const counts = await Promise.all([1, 2, 3].map(() => vaultOn(database, { key: B, previousKey: A }).reseal.run(2)));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(NUMBERS.length);
    const onlyB = vaultOn(database, { key: B }).vault;
    for (const [i, token] of tokens.entries()) expect((await onlyB.openCard(token.card.id)).number).toBe(NUMBERS[i]);
  });

  it('leaves what it cannot open: an altered row, and cards of a KEK that is not configured', async () => {
    await fresh();
    const underA = await sealUnder(A);
    const altered = underA[0]!.card.id;
    const { sealedDataKey } = await database.prisma.vaultCard.findUniqueOrThrow({ where: { id: altered } });
    const bytes = Buffer.from(sealedDataKey.slice(3), 'base64');
    bytes[20]! ^= 1;
    await database.prisma.vaultCard.update({ where: { id: altered }, data: { sealedDataKey: `v1.${bytes.toString('base64')}` } });
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    const rotated = vaultOn(database, { key: C, previousKey: B });
    // Nothing is under B: the cards under A are not its to move (and it could not open them).
    expect(await rotated.reseal.run()).toBe(0);
    const toB = vaultOn(database, { key: B, previousKey: A });
    expect(await toB.reseal.run()).toBe(NUMBERS.length - 1);
    expect((await database.prisma.vaultCard.findUniqueOrThrow({ where: { id: altered } })).kekId).toBe(kekIdOf(A));
    expect(warn).toHaveBeenCalledWith(`vault card ${altered}: its data key does not open with its vault key; not re-sealed`);
    warn.mockRestore();
  });

  it('without a rotation there is nothing to do', async () => {
    await fresh();
    await sealUnder(A);
    const plain = vaultOn(database, { key: A });
    const query = vi.spyOn(database.prisma.vaultCard, 'findMany');
    expect(plain.reseal.rotating()).toBe(false);
    expect(await plain.reseal.run()).toBe(0);
    expect(vaultOn(database, {}).reseal.rotating()).toBe(false);
    expect(await vaultOn(database, {}).reseal.run()).toBe(0);
    expect(query).not.toHaveBeenCalled();
    query.mockRestore();
  });

  it('a rolling deploy: a card a process still on the old key seals after a pass is moved by the next pass', async () => {
    await fresh();
    const rotated = vaultOn(database, { key: B, previousKey: A });
    // A process started before the rotation (it read the fingerprint key while it was sealed by A).
    const stillOld = vaultOn(database, { key: A });
    await sealUnder(A, stillOld.vault);
    expect(await rotated.reseal.run()).toBe(NUMBERS.length);
    const late = await stillOld.vault.tokenize('mer_1', { number: NUMBERS[0]!, expMonth: 1, expYear: 2031 });
    expect((await database.prisma.vaultCard.findUniqueOrThrow({ where: { id: late.card.id } })).kekId).toBe(kekIdOf(A));

    expect(await rotated.reseal.run()).toBe(1);
    expect(new Set((await rows()).map((row) => row.kekId))).toEqual(new Set([kekIdOf(B)]));
    expect((await vaultOn(database, { key: B }).vault.openCard(late.card.id)).number).toBe(NUMBERS[0]);
  });

  it('a pass starts over from the first card: one inserted behind the cursor of a pass is moved by the next', async () => {
    await fresh();
    const stillOld = vaultOn(database, { key: A });
    await sealUnder(A, stillOld.vault);
    const rotated = vaultOn(database, { key: B, previousKey: A });
    const read = rotated.cards.dataKeysSealedBy.bind(rotated.cards);
    let behind: string | undefined;
    const spy = vi.spyOn(rotated.cards, 'dataKeysSealedBy').mockImplementation(async (kekIds, after, limit) => {
      const batch = await read(kekIds, after, limit);
      // After the first batch, a process on the old key seals cards until one lands behind the cursor (ids are random).
      for (let tries = 0; behind === undefined && after === '' && tries < 64; tries += 1) {
        const { card } = await stillOld.vault.tokenize('mer_1', { number: NUMBERS[1]!, expMonth: 1, expYear: 2031 });
        if (card.id < batch.at(-1)!.id) behind = card.id;
      }
      return batch;
    });
    await rotated.reseal.run(NUMBERS.length - 1);
    spy.mockRestore();
    expect(behind).toBeDefined();
    expect((await database.prisma.vaultCard.findUniqueOrThrow({ where: { id: behind! } })).kekId).toBe(kekIdOf(A));

    expect(await rotated.reseal.run()).toBe(1);
    expect(new Set((await rows()).map((row) => row.kekId))).toEqual(new Set([kekIdOf(B)]));
  });

  it('runs the passes of one process one after the other', async () => {
    await fresh();
    await sealUnder(A);
    const rotated = vaultOn(database, { key: B, previousKey: A });
    const read = vi.spyOn(rotated.cards, 'dataKeysSealedBy');
    // Two passes at once: the second starts once the first has ended, and finds nothing left.
    expect(await Promise.all([rotated.reseal.run(2), rotated.reseal.run(2)])).toEqual([NUMBERS.length, 0]);
    expect(read.mock.calls.map(([, after]) => after === '')).toEqual([true, false, false, false, true]);
    read.mockRestore();
  });

  it('warns about an altered card once, however many passes find it', async () => {
    await fresh();
    const [first] = await sealUnder(A);
    await database.prisma.vaultCard.update({ where: { id: first!.card.id }, data: { sealedDataKey: 'v1.AAAA' } });
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    const rotated = vaultOn(database, { key: B, previousKey: A });
    expect(await rotated.reseal.run()).toBe(NUMBERS.length - 1);
    expect(await rotated.reseal.run()).toBe(0);
    expect(warn.mock.calls.filter(([message]) => String(message).includes(first!.card.id))).toHaveLength(1);
    warn.mockRestore();
  });

  it('after stop() the pass in progress ends after its batch and no other pass runs', async () => {
    await fresh();
    await sealUnder(A);
    const rotated = vaultOn(database, { key: B, previousKey: A });
    const read = rotated.cards.dataKeysSealedBy.bind(rotated.cards);
    let stopped: Promise<void> | undefined;
    vi.spyOn(rotated.cards, 'dataKeysSealedBy').mockImplementation(async (kekIds, after, limit) => {
      stopped ??= rotated.reseal.stop();
      return read(kekIds, after, limit);
    });
    expect(await rotated.reseal.run(2)).toBe(2);
    await stopped;
    expect(await rotated.reseal.run(2)).toBe(0);
    expect((await rows()).filter((row) => row.kekId === kekIdOf(A))).toHaveLength(NUMBERS.length - 2);
  });
});
