import { afterAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../../../test/support/databases.js';
import { type Database, part, Prisma } from '#persistence';
import { CARD_RETENTION_MS, cardRetentionMs } from './card-retention.js';
import { VAULT_CARD_KEPT_PART } from './persistence/vault-cards.repository.js';
import { onSuiteDatabase, testKey, vaultOn } from './test-support/vault-on.js';
import { VaultCardGoneError } from './vault-card-gone.error.js';
import { VaultPurgeJob } from './vault-purge.job.js';

const backends = await testBackends();
const CARD = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };
const KEY = testKey(21);
const HOUR = 3_600_000;
const gate = (name: string, passes: boolean) => part(name, passes ? Prisma.sql`SELECT 1 AS id` : Prisma.sql`SELECT 1 AS id WHERE false`);
const later = (ms: number) => new Date(Date.now() + ms);

describe('the retention of a new card', () => {
  it('is 24 h: a token, a shopper who takes the default 30 min and the reconciliation after fit in it', () => {
    expect(CARD_RETENTION_MS).toBe(24 * HOUR);
    expect(cardRetentionMs({ vault: { tokenTtlMs: 15 * 60_000 } })).toBe(24 * HOUR);
    expect(cardRetentionMs({ vault: { tokenTtlMs: HOUR }, actionTimeoutMs: 20 * HOUR })).toBe(24 * HOUR);
  });

  it('grows with a wait for the shopper longer than it covers: token life + that wait + 1 h', () => {
    expect(cardRetentionMs({ vault: { tokenTtlMs: HOUR }, actionTimeoutMs: 7 * 24 * HOUR })).toBe(7 * 24 * HOUR + 2 * HOUR);
  });
});

describe.each(backends)('vault retention on $name', (backend) => {
  let database: Database;
  let open: ReturnType<typeof vaultOn>;
  const retainUntil = async (id: string) => (await database.prisma.vaultCard.findUnique({ where: { id }, select: { retainUntil: true } }))?.retainUntil;
  const tokensOf = (vaultCardId: string) => database.prisma.cardToken.count({ where: { vaultCardId } });
  /** Purges everything unkept, so a test counts only its own cards. */
  const purgeAll = async () => {
    while ((await open.purge.run(later(365 * 24 * HOUR))) > 0);
  };

  onSuiteDatabase(backend, (opened) => {
    database = opened;
    open = vaultOn(database, { key: KEY });
  });
  afterAll(() => open.cvcs.onModuleDestroy());

  it('gives every new card, tokenized or sealed in a unit, 24 h of retention', async () => {
    const before = Date.now();
    const token = await open.vault.tokenize('mer_1', CARD);
    expect((await retainUntil(token.card.id))!.getTime()).toBe(token.createdAt.getTime() + 24 * HOUR);
    const sealed = await open.vault.sealCardPart('mer_1', CARD, 'claimed');
    await open.runner.commit({ writes: [gate('claimed', true), sealed.part], gate: 'claimed' }, 'gated card');
    const until = (await retainUntil(sealed.card.id))!.getTime();
    expect(until).toBeGreaterThanOrEqual(before + 24 * HOUR);
    expect(until).toBeLessThanOrEqual(Date.now() + 24 * HOUR);
    // A gateway whose shoppers may take a week keeps new cards that long, and an hour more.
    const patient = vaultOn(database, { key: KEY, tokenTtlMs: HOUR }, 7 * 24 * HOUR);
    const slow = await patient.vault.tokenize('mer_1', CARD);
    expect((await retainUntil(slow.card.id))!.getTime()).toBe(slow.createdAt.getTime() + 7 * 24 * HOUR + 2 * HOUR);
  });

  it('purges the cards past their retention with their tokens, not those kept or not yet due', async () => {
    await purgeAll();
    const [expired, notDue, kept] = [await open.vault.tokenize('mer_1', CARD), await open.vault.tokenize('mer_1', CARD), await open.vault.tokenize('mer_1', CARD)];
    expect(await open.runner.commit({ writes: [open.vault.keepPart('mer_1', kept.card.id)], required: [VAULT_CARD_KEPT_PART] }, 'saved method')).toBe(true);
    expect(await retainUntil(kept.card.id)).toBeNull();
    await database.prisma.vaultCard.update({ where: { id: expired.card.id }, data: { retainUntil: new Date(Date.now() - 1) } });

    expect(await open.purge.run()).toBe(1);
    expect(await open.vault.findCard('mer_1', expired.card.id)).toBeUndefined();
    expect(await tokensOf(expired.card.id)).toBe(0);
    expect(await open.vault.findToken('mer_1', expired.id)).toBeUndefined();
    await expect(open.vault.openCard(expired.card.id)).rejects.toThrow(VaultCardGoneError);
    expect(await open.vault.findToken('mer_1', notDue.id)).toEqual(notDue);
    expect(await open.purge.run()).toBe(0);

    // A day later the unused token's card is due too; the kept one stays, whenever the purge runs.
    expect(await open.purge.run(later(24 * HOUR + 1_000))).toBe(1);
    expect(await open.vault.findToken('mer_1', notDue.id)).toBeUndefined();
    expect(await open.purge.run(later(365 * 24 * HOUR))).toBe(0);
    expect(await open.vault.findToken('mer_1', kept.id)).toEqual(kept);
    expect(await open.vault.openCard(kept.card.id)).toEqual({ number: CARD.number, expMonth: 12, expYear: 2030 });
  });

  it('purges in batches: a backlog goes a batch per statement', async () => {
    await purgeAll();
    const tokens = await Promise.all([1, 2, 3].map(() => open.vault.tokenize('mer_1', CARD)));
    const dayLater = later(25 * HOUR);
    expect(await open.purge.run(dayLater, 2)).toBe(2);
    expect(await open.purge.run(dayLater, 2)).toBe(1);
    expect(await open.purge.run(dayLater, 2)).toBe(0);
    for (const token of tokens) expect(await tokensOf(token.card.id)).toBe(0);
  });

  it("keeps only the merchant's own card, only when the unit's gate passes, and answers no row for a card that is gone", async () => {
    const token = await open.vault.tokenize('mer_1', CARD);
    const keep = (merchantId: string) => ({ writes: [open.vault.keepPart(merchantId, token.card.id)], required: [VAULT_CARD_KEPT_PART] });
    await expect(open.runner.commit(keep('mer_2'), 'theft')).rejects.toThrow('a required row was missing');
    expect(await open.runner.commit({ writes: [gate('claimed', false), open.vault.keepPart('mer_1', token.card.id, 'claimed')], gate: 'claimed' }, 'lost claim')).toBe(false);
    expect(await retainUntil(token.card.id)).not.toBeNull();
    expect(() => open.vault.keepPart('mer_1', token.card.id, 'x; DROP TABLE vault_cards')).toThrow('not a part name');

    expect(await open.purge.run(later(25 * HOUR))).toBeGreaterThanOrEqual(1);
    await expect(open.runner.commit(keep('mer_1'), 'too late')).rejects.toThrow('a required row was missing');
  });

  it("shreds a card and its tokens for good, idempotently, and only the merchant's own", async () => {
    const token = await open.vault.tokenize('mer_1', CARD);
    expect(await open.runner.commit({ writes: [open.vault.keepPart('mer_1', token.card.id)] }, 'saved method')).toBe(true);
    await open.vault.shred('mer_2', token.card.id);
    expect(await open.vault.findCard('mer_1', token.card.id)).toEqual(token.card);

    await open.vault.shred('mer_1', token.card.id);
    expect(await open.vault.findCard('mer_1', token.card.id)).toBeUndefined();
    expect(await open.vault.findToken('mer_1', token.id)).toBeUndefined();
    expect(await tokensOf(token.card.id)).toBe(0);
    const gone: unknown = await open.vault.openCard(token.card.id).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(VaultCardGoneError);
    expect(gone).toMatchObject({ name: 'VaultCardGoneError', vaultCardId: token.card.id });
    await expect(open.vault.shred('mer_1', token.card.id)).resolves.toBeUndefined();
  });

  it("shreds within the caller's unit: with its other writes, or not at all", async () => {
    const token = await open.vault.tokenize('mer_1', CARD);
    const failing = part('detached', Prisma.sql`SELECT 1 AS id WHERE false`);
    const unit = { writes: [failing, ...open.vault.shredUnit('mer_1', token.card.id).writes], required: ['detached'] };
    await expect(open.runner.commit(unit, 'detach')).rejects.toThrow('a required row was missing');
    expect(await open.vault.findCard('mer_1', token.card.id)).toEqual(token.card);
    expect(await open.runner.commit(open.vault.shredUnit('mer_1', token.card.id), 'detach')).toBe(true);
    expect(await open.vault.findCard('mer_1', token.card.id)).toBeUndefined();
  });

  it('runs the purge in the background every vault.purgeIntervalMs, and not at all with 0', async () => {
    const due = await open.vault.tokenize('mer_1', CARD);
    await database.prisma.vaultCard.update({ where: { id: due.card.id }, data: { retainUntil: new Date(Date.now() - 1) } });
    const off = new VaultPurgeJob({ vault: { tokenTtlMs: 60_000, purgeIntervalMs: 0 } }, open.purge);
    off.onApplicationBootstrap();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await off.onModuleDestroy();
    expect(await open.vault.findCard('mer_1', due.card.id)).toEqual(due.card);

    const job = new VaultPurgeJob({ vault: { tokenTtlMs: 60_000, purgeIntervalMs: 10 } }, open.purge);
    job.onApplicationBootstrap();
    try {
      await expect.poll(() => open.vault.findCard('mer_1', due.card.id), { timeout: 5_000, interval: 20 }).toBeUndefined();
    } finally {
      await job.onModuleDestroy();
    }
  });
});
