import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModulesContainer } from '@nestjs/core';
import { DATABASE, type Database, type DatabaseConfig, PRISMA, type PrismaClient } from '#persistence';
import { VaultOpsController } from '../../apps/gateway/src/vault/http/vault-ops.controller.js';
import { vaultOn } from '../../apps/gateway/src/vault/test-support/vault-on.js';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, startGateway, TEST_VAULT_KEY } from '../support/gateway-harness.js';
import { OpenApiConformance } from '../support/openapi-conformance.js';
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

const backends = await testBackends();
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** The value of an unlabelled sample in a /metrics text. */
function gauge(text: string, name: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** Where a rotation stands, as ops see it: `GET /v1/ops/vault`. */
async function vaultStatus(gateway: Gateway) {
  return (await gateway.http.get('/v1/ops/vault').set(ADMIN).expect(200)).body;
}

describe.each(backends)('a vault key rotation watched by ops on $name', (backend) => {
  // This gateway runs the new key with the old one as previous; its background passes are a minute apart, so the test drives them.
  const started = gatewayForSuite(backend, { config: { vault: { key: NEW_KEY, previousKey: TEST_VAULT_KEY, ...TTL } } });
  let gateway: Gateway;
  let api: OpenApiConformance;

  beforeAll(async () => {
    gateway = started();
    api = new OpenApiConformance((await gateway.http.get('/docs/openapi.json').expect(200)).body);
  });

  it('GET /v1/ops/vault counts the cards of every key, POST /v1/ops/vault/reseal re-seals now, the gauge shows what is left; admin only', async () => {
    const merchant = await MerchantSession.create(gateway);
    // A process still configured with the old key only (a rolling deploy), on the same database.
    const stillOld = vaultOn(gateway.app.get<Database>(DATABASE), { key: TEST_VAULT_KEY, ...TTL });
    const sealOld = () => stillOld.vault.tokenize(merchant.merchantId, { number: NUMBER, expMonth: 1, expYear: 2031 });
    const methods: string[] = [];
    for (let i = 0; i < 3; i += 1) methods.push((await merchant.post('/v1/payment_methods', { token: (await sealOld()).id }, null).expect(201)).body.id);

    for (const request of [gateway.http.get('/v1/ops/vault'), gateway.http.post('/v1/ops/vault/reseal'), merchant.get('/v1/ops/vault')]) {
      const refused = await request.expect(401);
      expect(refused.body.error).toMatchObject({ type: 'authentication_error' });
    }

    const before = await gateway.http.get('/v1/ops/vault').set(ADMIN).expect(200);
    api.expectConforms(before, 'get', '/v1/ops/vault');
    const { current_key_id: current, previous_key_id: previous } = before.body;
    expect(current).toMatch(/^[0-9a-f]{16}$/);
    expect(previous).toMatch(/^[0-9a-f]{16}$/);
    expect(previous).not.toBe(current);
    expect(before.body).toEqual({
      object: 'vault',
      available: true,
      current_key_id: current,
      previous_key_id: previous,
      cards: { total: 3, by_key_id: { [previous]: 3 } },
      cards_on_other_keys: 3,
      fingerprint_key_id: previous,
    });
    expect(gauge((await gateway.http.get('/metrics').expect(200)).text, 'canopy_vault_cards_on_previous_keys')).toBe(3);

    const resealed = await gateway.http.post('/v1/ops/vault/reseal').set(ADMIN).expect(200);
    api.expectConforms(resealed, 'post', '/v1/ops/vault/reseal');
    expect(resealed.body).toEqual({ object: 'vault_reseal', resealed: 3, cards_on_other_keys: 0 });
    expect(await vaultStatus(gateway)).toMatchObject({ cards: { total: 3, by_key_id: { [current]: 3 } }, cards_on_other_keys: 0, fingerprint_key_id: current });

    // The old process seals one more card after that pass: ops see it, and the next pass moves it.
    methods.push((await merchant.post('/v1/payment_methods', { token: (await sealOld()).id }, null).expect(201)).body.id);
    expect(await vaultStatus(gateway)).toMatchObject({ cards: { total: 4, by_key_id: { [current]: 3, [previous]: 1 } }, cards_on_other_keys: 1 });
    expect(gauge((await gateway.http.get('/metrics').expect(200)).text, 'canopy_vault_cards_on_previous_keys')).toBe(1);
    expect((await gateway.http.post('/v1/ops/vault/reseal').set(ADMIN).expect(200)).body).toEqual({ object: 'vault_reseal', resealed: 1, cards_on_other_keys: 0 });
    expect(gauge((await gateway.http.get('/metrics').expect(200)).text, 'canopy_vault_cards_on_previous_keys')).toBe(0);

    // Nothing left to move: another pass re-seals nothing; every card still charges.
    expect((await gateway.http.post('/v1/ops/vault/reseal').set(ADMIN).expect(200)).body).toEqual({ object: 'vault_reseal', resealed: 0, cards_on_other_keys: 0 });
    for (const id of methods) expect((await merchant.post('/v1/payments', { amount: 100, currency: 'EUR', payment_method: id }).expect(201)).body.status).toBe('captured');
  });

  it('maps the vault ops controller once, though several features import the vault', () => {
    const controllers = [...gateway.app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()]);
    expect(controllers.filter((wrapper) => wrapper.metatype === VaultOpsController)).toHaveLength(1);
  });
});

// PGlite is one process's embedded database: two gateway processes sharing one is PostgreSQL's job.
const postgres = backends.find((backend) => backend.name === 'postgres');

describe.runIf(postgres)('a rolling deploy of a vault key rotation, two gateway processes on one PostgreSQL', () => {
  let drop: () => Promise<void>;
  let config: DatabaseConfig;
  let old: Gateway;
  let rotating: Gateway;

  beforeAll(async () => {
    const database = await postgres!.create();
    drop = database.drop;
    config = database.config;
    old = await startGateway(config);
  });
  afterAll(async () => {
    await Promise.all([old?.close(), rotating?.close()]);
    await drop?.();
  });

  it('the process on the new keys keeps re-sealing in the background: a card the old process seals afterwards is moved too', async () => {
    const onOld = await MerchantSession.create(old);
    const first = (await onOld.post('/v1/payment_methods', { token: await onOld.tokenize(NUMBER) }, null).expect(201)).body.id;
    rotating = await startGateway(config, testTreeConfig(), ['error'], { vault: { key: NEW_KEY, previousKey: TEST_VAULT_KEY, ...TTL, resealIntervalMs: 100 } });
    const onNew = onOld.on(rotating);
    const { current_key_id: current } = await vaultStatus(rotating);
    await expect.poll(async () => (await vaultStatus(rotating)).cards_on_other_keys, { timeout: 10_000, interval: 50 }).toBe(0);

    // The old process, not redeployed yet, can only seal with the previous key; the next background pass moves its card.
    const late = (await onOld.post('/v1/payment_methods', { token: await onOld.tokenize(NUMBER) }, null).expect(201)).body.id;
    await expect.poll(async () => (await vaultStatus(rotating)).cards_on_other_keys, { timeout: 10_000, interval: 50 }).toBe(0);
    expect(await vaultStatus(rotating)).toMatchObject({ cards: { total: 2, by_key_id: { [current]: 2 } }, fingerprint_key_id: current });
    for (const id of [first, late]) expect((await onNew.post('/v1/payments', { amount: 100, currency: 'EUR', payment_method: id }).expect(201)).body.status).toBe('captured');
  });
});
