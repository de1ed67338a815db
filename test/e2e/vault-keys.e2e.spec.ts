import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRISMA, type PrismaClient } from '#persistence';
import { type Gateway, MerchantSession, startGateway, TEST_VAULT_KEY } from '../support/gateway-harness.js';
import { testTreeConfig } from '../support/test-tree.js';

const NUMBER = '5555555555554444';
const NEW_KEY = Buffer.from('bmV3LWNhbm9weS12YXVsdC1rZXktMzItYnl0ZXMhIT8=', 'base64');
const TTL = { tokenTtlMs: 15 * 60_000 };

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The number as it could sit in a file: ASCII, UTF-16, base64 or hex of its text. */
function encodingsOf(number: string): Buffer[] {
  return [Buffer.from(number), Buffer.from(number, 'utf16le'), Buffer.from(Buffer.from(number).toString('base64')), Buffer.from(Buffer.from(number).toString('hex'))];
}

/**
 * The vault on a database on disk (embedded PGlite): what its files hold, what a copy of them opens
 * without the key, and a key rotation.
 */
describe('the vault key', () => {
  const dirs: string[] = [];
  const gateways: Gateway[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-vault-'));
    dirs.push(dir);
    return dir;
  };
  const start = async (dataDir: string, vault: { key?: Buffer; previousKey?: Buffer }) => {
    const gateway = await startGateway({ dataDir, applyMigrations: true }, testTreeConfig(), ['error'], { dataDir, vault: { ...vault, ...TTL } });
    gateways.push(gateway);
    return gateway;
  };
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close().catch(() => {});
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps card numbers out of the database files; a copy without the key opens nothing; a rotation re-seals every card', async () => {
    const original = newDir();
    const gateway = await start(original, { key: TEST_VAULT_KEY });
    const merchant = await MerchantSession.create(gateway);
    const customer = await merchant.post('/v1/customers', {}, null).expect(201);
    const methods: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const method = await merchant.post('/v1/payment_methods', { token: await merchant.tokenize(NUMBER), customer: customer.body.id }, null).expect(201);
      methods.push(method.body.id);
    }
    await merchant.post('/v1/payments', { amount: 100, currency: 'EUR', payment_method: methods[0] }).expect(201);
    const sealedWith = await kekIdsOf(gateway);
    expect(sealedWith.size).toBe(1);
    await gateway.close();

    const files = filesUnder(original);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const encoded of encodingsOf(NUMBER)) expect(bytes.includes(encoded), `${file} holds the card number`).toBe(false);
    }

    // A copy of the database without the key: display data, no card to charge.
    const copy = newDir();
    cpSync(original, copy, { recursive: true });
    const keyless = await start(copy, {});
    const thief = merchant.on(keyless);
    const shown = await thief.get(`/v1/payment_methods/${methods[0]}`).expect(200);
    expect(shown.body.card.last4).toBe('4444');
    const refused = await thief.post('/v1/payments', { amount: 100, currency: 'EUR', payment_method: methods[0] }).expect(503);
    expect(refused.body.error).toMatchObject({ type: 'api_error', code: 'vault_unavailable' });
    const keylessToken = await keyless.http.post('/v1/tokens').set('authorization', `Bearer ${merchant.publishableKey}`).send({ card: { number: NUMBER, exp_month: 1, exp_year: 2031 } });
    expect(keylessToken.status).toBe(503);
    await keyless.close();

    const wrongKey = await start(copy, { key: NEW_KEY });
    await merchant.on(wrongKey).post('/v1/payments', { amount: 100, currency: 'EUR', payment_method: methods[1] }).expect(503);
    await wrongKey.close();

    // The rotation: the new key current, the old one previous; the background re-seal re-wraps every card.
    const rotating = await start(original, { key: NEW_KEY, previousKey: TEST_VAULT_KEY });
    await expect.poll(async () => [...(await kekIdsOf(rotating))].some((id) => sealedWith.has(id)), { timeout: 10_000 }).toBe(false);
    expect((await kekIdsOf(rotating)).size).toBe(1);
    await merchant.on(rotating).post('/v1/payments', { amount: 100, currency: 'EUR', payment_method: methods[1] }).expect(201);
    await rotating.close();

    // The old key is no longer needed; the fingerprints stayed the same.
    const rotated = await start(original, { key: NEW_KEY });
    const session = merchant.on(rotated);
    for (const id of methods) {
      const paid = await session.post('/v1/payments', { amount: 100, currency: 'EUR', payment_method: id }).expect(201);
      expect(paid.body.status).toBe('captured');
    }
    const again = await session.post('/v1/payment_methods', { token: await session.tokenize(NUMBER) }, null).expect(201);
    expect(again.body.card.fingerprint).toBe(shown.body.card.fingerprint);
  });
});

/** The ids of the key-encryption keys the gateway's vault cards are sealed with. */
async function kekIdsOf(gateway: Gateway): Promise<Set<string>> {
  const cards = await gateway.app.get<PrismaClient>(PRISMA).vaultCard.findMany({ select: { kekId: true } });
  return new Set(cards.map((card) => card.kekId));
}
