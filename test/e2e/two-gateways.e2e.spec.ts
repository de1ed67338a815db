import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatewayNode } from '#gateway-spi';
import { testBackends } from '../support/databases.js';
import { type Gateway, MerchantSession, paymentBody, startGateway } from '../support/gateway-harness.js';

// Without PostgreSQL this suite skips; under REQUIRE_SERVICES=1 testBackends() throws instead.
const postgres = (await testBackends()).find((backend) => backend.name === 'postgres');

function leaves(gateway: Gateway): GatewayNode[] {
  return [...gateway.tree.nodes.values()].filter((node) => node.describe().kind === 'adapter');
}

// PGlite is one process's embedded database: sharing it between two gateways is PostgreSQL's job.
describe.runIf(postgres)('two gateway processes sharing one PostgreSQL', () => {
  let one: Gateway;
  let two: Gateway;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await postgres!.create();
    drop = database.drop;
    [one, two] = await Promise.all([startGateway(database.config), startGateway(database.config)]);
  });

  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await drop?.();
  });

  it('turns 50 concurrent identical requests into one payment and one leaf charge', async () => {
    const onOne = await MerchantSession.create(one);
    const onTwo = onOne.on(two);
    const spies = [...leaves(one), ...leaves(two)].map((leaf) => vi.spyOn(leaf, 'authorize'));
    const key = onOne.newKey();
    const body = paymentBody();

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? onOne : onTwo).post('/v1/payments', body, key)),
    );

    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const conflict of responses.filter((r) => r.status === 409)) {
      expect(conflict.body.error.code).toBe('idempotency_key_in_flight');
    }
    const leafCalls = spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    expect(leafCalls).toBe(1);

    const listed = await onTwo.get('/v1/payments?limit=100').expect(200);
    expect(listed.body.data).toHaveLength(1);
    const replay = await onTwo.post('/v1/payments', body, key).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(created[0]!.body.id);
    spies.forEach((spy) => spy.mockRestore());
  });
});
