import type { ServedSubtree } from '#remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenTarget, serveTestSubtree } from '../../libs/remote/test-support/served-subtree.js';
import { pgliteBackend, testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, startGateway } from '../support/gateway-harness.js';
import { OpenApiConformance } from '../support/openapi-conformance.js';

/** Luhn-valid and not a test card: the market decides. */
const PLAIN_CARD = '4111111111111111';

/** JPY has no rule: the root sends it to its default, the sandbox leaf `global`. */
const toGlobal = { currency: 'JPY' };

const EFFECTIVE_DEFAULTS = {
  seed: 0,
  approval_rate: 1,
  by_brand: {},
  by_country: {},
  amount_bands: [],
  soft_decline_share: 0.5,
  soft_codes: ['try_again_later', 'issuer_unavailable', 'do_not_honor'],
  hard_codes: ['card_declined', 'insufficient_funds', 'expired_card', 'stolen_card'],
  latency: null,
};

describe.each(await testBackends())('sandbox market through ops on $name', (backend) => {
  const started = gatewayForSuite(backend);
  let gateway: Gateway;
  let merchant: MerchantSession;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
  });

  it('requires the admin token', async () => {
    await gateway.http.get('/v1/ops/nodes/global/market').expect(401);
    await gateway.http.put('/v1/ops/nodes/global/market').send({}).expect(401);
    await gateway.http.delete('/v1/ops/nodes/global/market').set('authorization', `Bearer ${merchant.apiKey}`).expect(401);
  });

  it('approves, declines soft once the market says so, and approves again after the reset', async () => {
    expect((await gateway.http.get('/v1/ops/nodes/global/market').set(admin).expect(200)).body).toEqual({ node_id: 'global', market: null });
    const before = await merchant.pay(toGlobal, PLAIN_CARD).expect(201);
    expect(before.body).toMatchObject({ status: 'captured' });

    const set = await gateway.http.put('/v1/ops/nodes/global/market').set(admin).send({ approval_rate: 0, soft_decline_share: 1 }).expect(200);
    expect(set.body).toEqual({ node_id: 'global', market: { ...EFFECTIVE_DEFAULTS, approval_rate: 0, soft_decline_share: 1 } });
    expect((await gateway.http.get('/v1/ops/nodes/global/market').set(admin).expect(200)).body).toEqual(set.body);

    const declined = await merchant.pay(toGlobal, PLAIN_CARD).expect(201);
    expect(declined.body.status).toBe('declined');
    expect(EFFECTIVE_DEFAULTS.soft_codes).toContain(declined.body.decline_code);
    expect(declined.body.route.attempts).toEqual([expect.objectContaining({ path: 'root/global', outcome: 'declined', code: declined.body.decline_code })]);
    // The decline is the provider's record: the payment reads back the same.
    expect((await merchant.get(`/v1/payments/${declined.body.id}`).expect(200)).body).toMatchObject({ status: 'declined', decline_code: declined.body.decline_code });
    // Test cards keep their scripts under any market.
    expect((await merchant.pay(toGlobal, '4242424242424242').expect(201)).body.status).toBe('captured');

    const reset = await gateway.http.delete('/v1/ops/nodes/global/market').set(admin).expect(200);
    expect(reset.body).toEqual({ node_id: 'global', market: null });
    expect((await merchant.pay(toGlobal, PLAIN_CARD).expect(201)).body.status).toBe('captured');
  });

  it('answers the whole market with every field, and accepts its own answer back', async () => {
    const market = {
      seed: 7,
      approval_rate: 0.9,
      by_brand: { visa: 0.92, amex: 0.8 },
      by_country: { DE: 0.95 },
      amount_bands: [{ up_to: 10_000, approval_rate: 0.93 }, { approval_rate: 0.85 }],
      soft_decline_share: 0.4,
      soft_codes: ['try_again_later'],
      hard_codes: ['card_declined', 'suspected_fraud'],
      latency: { median_ms: 1, p99_ms: 2 },
    };
    const set = await gateway.http.put('/v1/ops/nodes/sim-alpha/market').set(admin).send(market).expect(200);
    expect(set.body).toEqual({ node_id: 'sim-alpha', market });
    await gateway.http.put('/v1/ops/nodes/sim-alpha/market').set(admin).send(set.body.market).expect(200, set.body);
    await gateway.http.delete('/v1/ops/nodes/sim-alpha/market').set(admin).expect(200, { node_id: 'sim-alpha', market: null });
  });

  it('refuses unknown nodes (404), nodes without a market and bad markets (400, naming the field)', async () => {
    const error = (response: { body: { error: unknown } }) => response.body.error;
    expect(error(await gateway.http.put('/v1/ops/nodes/nope/market').set(admin).send({}).expect(404))).toMatchObject({ type: 'not_found', code: 'resource_missing', param: 'id' });
    await gateway.http.get('/v1/ops/nodes/nope/market').set(admin).expect(404);
    await gateway.http.delete('/v1/ops/nodes/nope/market').set(admin).expect(404);

    expect(error(await gateway.http.put('/v1/ops/nodes/eu/market').set(admin).send({}).expect(400))).toMatchObject({ code: 'market_not_supported', param: 'id' });
    expect(error(await gateway.http.get('/v1/ops/nodes/eu/market').set(admin).expect(400))).toMatchObject({ code: 'market_not_supported' });
    expect(error(await gateway.http.delete('/v1/ops/nodes/eu/market').set(admin).expect(400))).toMatchObject({ code: 'market_not_supported' });

    const bad = await gateway.http.put('/v1/ops/nodes/global/market').set(admin).send({ approval_rate: 2 }).expect(400);
    expect(error(bad)).toMatchObject({ type: 'invalid_request_error', code: 'invalid_market', param: 'approval_rate', message: 'market.approval_rate must be a number from 0 to 1' });
    const codes = await gateway.http.put('/v1/ops/nodes/global/market').set(admin).send({ soft_codes: ['card_declined'] }).expect(400);
    expect(error(codes)).toMatchObject({ code: 'invalid_market', param: 'soft_codes' });
    const band = await gateway.http.put('/v1/ops/nodes/global/market').set(admin).send({ amount_bands: [{ approval_rate: 0.5 }, { approval_rate: 0.4 }] }).expect(400);
    expect(error(band)).toMatchObject({ code: 'invalid_market', param: 'amount_bands[0].up_to' });
    expect(error(await gateway.http.put('/v1/ops/nodes/global/market').set(admin).send({ approval: 1 }).expect(400))).toMatchObject({ code: 'invalid_market', param: 'approval' });
    expect(error(await gateway.http.put('/v1/ops/nodes/global/market').set(admin).send([1]).expect(400))).toMatchObject({ code: 'invalid_market' });
    // Nothing refused was applied.
    expect((await gateway.http.get('/v1/ops/nodes/global/market').set(admin).expect(200)).body).toEqual({ node_id: 'global', market: null });
  });

  it('answers as its OpenAPI document says', async () => {
    const api = new OpenApiConformance((await gateway.http.get('/docs/openapi.json').expect(200)).body);
    const path = '/v1/ops/nodes/{id}/market';
    expect(api.operation('put', path).requestBody).toBeDefined();
    const market = { seed: 1, by_country: { DE: 0.5 }, amount_bands: [{ up_to: 100, approval_rate: 0.9 }, { approval_rate: 0.8 }], latency: { median_ms: 1, p99_ms: 3 } };
    api.expectConforms(await gateway.http.put('/v1/ops/nodes/sim-beta/market').set(admin).send(market), 'put', path);
    api.expectConforms(await gateway.http.get('/v1/ops/nodes/sim-beta/market').set(admin), 'get', path);
    api.expectConforms(await gateway.http.delete('/v1/ops/nodes/sim-beta/market').set(admin), 'delete', path);
    api.expectConforms(await gateway.http.get('/v1/ops/nodes/sim-beta/market').set(admin), 'get', path);
    api.expectConforms(await gateway.http.put('/v1/ops/nodes/sim-beta/market').set(admin).send({ seed: -1 }), 'put', path);
    api.expectConforms(await gateway.http.get('/v1/ops/nodes/nope/market').set(admin), 'get', path);
    api.expectConforms(await gateway.http.delete('/v1/ops/nodes/eu/market').set(admin), 'delete', path);
  });
});

// The remote hop is what is under test here; the database backends are covered above.
describe('sandbox market of a leaf inside a remote subtree (node-host over TCP)', () => {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const configured = { ...EFFECTIVE_DEFAULTS, seed: 3, approval_rate: 1 };
  let served: ServedSubtree;
  let gateway: Gateway;
  let merchant: MerchantSession;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const subtree = {
      root: {
        id: 'far-edge',
        type: 'router',
        strategy: 'priority',
        timeout_ms: 500,
        status_timeout_ms: 200,
        children: [{ id: 'far-sim', type: 'simulator', options: { currencies: ['USD'], market: { seed: 3 } } }],
      },
    };
    served = await serveTestSubtree(subtree, listenTarget('tcp'));
    const target = served.target as { host: string; port: number };
    const tree = {
      root: {
        id: 'root',
        type: 'router',
        strategy: 'rules',
        timeout_ms: 1500,
        status_timeout_ms: 300,
        rules: [{ when: { currency: ['USD'] }, to: 'far' }],
        default: 'local',
        children: [
          { id: 'local', type: 'simulator' },
          { id: 'far', type: 'remote', transport: 'tcp', options: { host: target.host, port: target.port } },
        ],
      },
    };
    const database = await pgliteBackend.create();
    drop = database.drop;
    gateway = await startGateway(database.config, tree);
    merchant = await MerchantSession.create(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
    await served?.close();
    await drop?.();
  });

  it('reads, sets and resets it through the ops API; payments routed there follow it', async () => {
    const market = '/v1/ops/nodes/far-sim/market';
    expect((await gateway.http.get(market).set(admin).expect(200)).body).toEqual({ node_id: 'far-sim', market: configured });
    expect((await merchant.pay({ currency: 'USD' }, PLAIN_CARD).expect(201)).body).toMatchObject({ status: 'captured', route: { path: 'root/far/far-edge/far-sim' } });

    const set = await gateway.http.put(market).set(admin).send({ approval_rate: 0, soft_decline_share: 1 }).expect(200);
    expect(set.body).toEqual({ node_id: 'far-sim', market: { ...EFFECTIVE_DEFAULTS, approval_rate: 0, soft_decline_share: 1 } });
    expect((await gateway.http.get(market).set(admin).expect(200)).body).toEqual(set.body);
    const declined = (await merchant.pay({ currency: 'USD' }, PLAIN_CARD).expect(201)).body;
    expect(declined).toMatchObject({ status: 'declined', route: { path: 'root/far/far-edge/far-sim' } });
    expect(EFFECTIVE_DEFAULTS.soft_codes).toContain(declined.decline_code);

    expect((await gateway.http.delete(market).set(admin).expect(200)).body).toEqual({ node_id: 'far-sim', market: configured });
    expect((await merchant.pay({ currency: 'USD' }, PLAIN_CARD).expect(201)).body.status).toBe('captured');
  });

  it('refuses a bad market, nodes without one and unknown nodes as for local leaves', async () => {
    const bad = await gateway.http.put('/v1/ops/nodes/far-sim/market').set(admin).send({ latency: { median_ms: 10, p99_ms: 5 } }).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_market', param: 'latency.p99_ms' });
    expect((await gateway.http.put('/v1/ops/nodes/far-edge/market').set(admin).send({}).expect(400)).body.error).toMatchObject({ code: 'market_not_supported' });
    expect((await gateway.http.get('/v1/ops/nodes/far-edge/market').set(admin).expect(400)).body.error).toMatchObject({ code: 'market_not_supported' });
    expect((await gateway.http.put('/v1/ops/nodes/far/market').set(admin).send({}).expect(400)).body.error).toMatchObject({ code: 'market_not_supported' });
    await gateway.http.delete('/v1/ops/nodes/ghost/market').set(admin).expect(404);
    expect((await gateway.http.get('/v1/ops/nodes/far-sim/market').set(admin).expect(200)).body).toEqual({ node_id: 'far-sim', market: configured });
  });
});
