import { describe, expect, it } from 'vitest';
import { testBackends } from '../../../../test/support/databases.js';
import type { Database } from '#persistence';
import { onSuiteDatabase, testKey, vaultOn } from './test-support/vault-on.js';
import { kekIdOf } from './vault-key-ring.js';

const backends = await testBackends();
const [A, B, C] = [testKey(1), testKey(2), testKey(3)];
const CARD = { number: '4242424242424242', expMonth: 1, expYear: 2031 };

describe.each(backends)('the vault status on $name', (backend) => {
  let database: Database;
  onSuiteDatabase(backend, (opened) => (database = opened));

  it('an empty vault: no cards, no fingerprint key yet; without a key it is unavailable', async () => {
    expect(await vaultOn(database, { key: A }).status.read()).toEqual({
      available: true,
      currentKeyId: kekIdOf(A),
      previousKeyId: null,
      cards: { total: 0, byKeyId: {} },
      cardsOnOtherKeys: 0,
      fingerprintKeyId: null,
    });
    expect(await vaultOn(database, {}).status.read()).toMatchObject({ available: false, currentKeyId: null, previousKeyId: null });
  });

  it('counts the cards of every key, and those on a key other than the current one, through a rotation', async () => {
    const before = vaultOn(database, { key: A });
    const rotating = vaultOn(database, { key: B, previousKey: A });
    for (let i = 0; i < 4; i += 1) await before.vault.tokenize('mer_1', CARD);
    for (let i = 0; i < 2; i += 1) await rotating.vault.tokenize('mer_1', CARD);
    // A card of a key nobody configures any more (an older rotation left unfinished): nothing can move it, and it counts.
    const [forgotten] = await database.prisma.vaultCard.findMany({ where: { kekId: kekIdOf(A) }, take: 1 });
    await database.prisma.vaultCard.update({ where: { id: forgotten!.id }, data: { kekId: kekIdOf(C) } });
    expect(await rotating.status.read()).toEqual({
      available: true,
      currentKeyId: kekIdOf(B),
      previousKeyId: kekIdOf(A),
      cards: { total: 6, byKeyId: { [kekIdOf(A)]: 3, [kekIdOf(B)]: 2, [kekIdOf(C)]: 1 } },
      cardsOnOtherKeys: 4,
      fingerprintKeyId: kekIdOf(A),
    });
    expect(await rotating.status.cardsOnOtherKeys()).toBe(4);
    expect(await vaultOn(database, {}).status.cardsOnOtherKeys()).toBe(6);

    expect(await rotating.reseal.run()).toBe(3);
    expect(await rotating.status.read()).toMatchObject({
      cards: { total: 6, byKeyId: { [kekIdOf(B)]: 5, [kekIdOf(C)]: 1 } },
      cardsOnOtherKeys: 1,
      fingerprintKeyId: kekIdOf(B),
    });
    expect(await rotating.status.cardsOnOtherKeys()).toBe(1);
  });
});
