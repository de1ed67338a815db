import { afterAll, beforeAll } from 'vitest';
import { type Database, openDatabase, UnitOfWorkRunner } from '#persistence';
import type { TestBackend } from '../../../../../test/support/databases.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { CardSealer } from '../card-sealer.js';
import { CvcHolder } from '../cvc-holder.js';
import { FingerprintKey } from '../fingerprint-key.js';
import { CardTokensRepository } from '../persistence/card-tokens.repository.js';
import { VaultCardsRepository } from '../persistence/vault-cards.repository.js';
import { VaultKeysRepository } from '../persistence/vault-keys.repository.js';
import { Vault } from '../vault.js';
import { VaultKeyRing } from '../vault-key-ring.js';
import { VaultPurge } from '../vault-purge.job.js';
import { VaultReseal } from '../vault-reseal.js';
import { VaultResealJob } from '../vault-reseal.job.js';
import { VaultStatus } from '../vault-status.js';

/** Opens a fresh database of `backend` before the suite's tests (handed to `use`) and drops it after them. */
export function onSuiteDatabase(backend: TestBackend, use: (database: Database) => void): void {
  let database: Database | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await backend.create();
    drop = created.drop;
    database = await openDatabase(created.config);
    use(database);
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });
}

/** A 32-byte test key, all bytes `byte`. */
export const testKey = (byte: number) => Buffer.alloc(32, byte);

/** The vault, its re-seal, status and purge on `database`, as one gateway process configured with `vault` would have them. */
export function vaultOn(database: Database, vault: Partial<GatewayConfig['vault']> = {}, actionTimeoutMs?: number) {
  const config = { vault: { tokenTtlMs: 15 * 60_000, ...vault }, ...(actionTimeoutMs !== undefined && { actionTimeoutMs }) };
  const ring = new VaultKeyRing(config);
  const cards = new VaultCardsRepository(database.prisma, database.sql);
  const keys = new VaultKeysRepository(database.prisma);
  const cvcs = new CvcHolder();
  const runner = new UnitOfWorkRunner(database.prisma, database.sql);
  const reseal = new VaultReseal(ring, cards, keys);
  const status = new VaultStatus(ring, cards, keys);
  return {
    vault: new Vault(config, ring, new CardSealer(ring, new FingerprintKey(ring, keys)), cvcs, cards, new CardTokensRepository(database.prisma), runner),
    reseal,
    status,
    /** The background re-seal, every `vault.resealIntervalMs`. */
    resealJob: () => new VaultResealJob(config, reseal, status),
    purge: new VaultPurge(cards),
    cards,
    cvcs,
    runner,
  };
}
