import { beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession } from '../support/gateway-harness.js';
import { OpenApiConformance } from '../support/openapi-conformance.js';

const DECLINED_CARD = '4000000000000002'; // card_declined: a hard decline, never cascaded

interface ChildSeries {
  id: string;
  attempts: number[];
  approved: number[];
  share: (number | null)[];
  approval_rate: (number | null)[];
}
interface RouterSeries {
  id: string;
  strategy: string | null;
  children: ChildSeries[];
}

const total = (counts: number[]) => counts.reduce((sum, count) => sum + count, 0);

describe('GET /v1/ops/routing/series', () => {
  const started = gatewayForSuite(pgliteBackend);
  let gateway: Gateway;
  let api: OpenApiConformance;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const series = async () => {
    const response = await gateway.http.get('/v1/ops/routing/series').set(admin);
    api.expectConforms(response, 'get', '/v1/ops/routing/series');
    expect(response.status).toBe(200);
    return response.body as { bucket_seconds: number; buckets: number[]; routers: RouterSeries[] };
  };
  const router = (body: { routers: RouterSeries[] }, id: string) => body.routers.find((candidate) => candidate.id === id)!;
  const child = (body: { routers: RouterSeries[] }, routerId: string, id: string) => router(body, routerId).children.find((candidate) => candidate.id === id)!;

  beforeAll(async () => {
    gateway = started();
    api = new OpenApiConformance((await gateway.http.get('/docs/openapi.json').expect(200)).body);
  });

  it('lists every router of the tree with an hour of empty minute buckets before any payment', async () => {
    const before = Date.now();
    const body = await series();
    expect(body.bucket_seconds).toBe(60);
    expect(body.buckets).toHaveLength(60);
    expect(body.buckets.at(-1)! % 60_000).toBe(0);
    expect(body.buckets.at(-1)!).toBeLessThanOrEqual(Date.now());
    expect(body.buckets.at(-1)! + 60_000).toBeGreaterThan(before);
    expect(body.buckets.slice(1).every((start, index) => start - body.buckets[index]! === 60_000)).toBe(true);
    expect(body.routers.map(({ id, strategy, children }) => ({ id, strategy, children: children.map((c) => c.id) }))).toEqual([
      { id: 'root', strategy: 'rules', children: ['eu', 'us', 'global'] },
      { id: 'eu', strategy: 'weighted', children: ['sim-alpha', 'sim-beta'] },
      { id: 'us', strategy: 'priority', children: ['sim-gamma', 'sim-delta'] },
    ]);
    for (const { children } of body.routers) {
      for (const { attempts, approved, share, approval_rate } of children) {
        expect([attempts, approved, share, approval_rate].map((values) => values.length)).toEqual([60, 60, 60, 60]);
        expect(total(attempts)).toBe(0);
        expect(share.every((value) => value === null)).toBe(true);
        expect(approval_rate.every((value) => value === null)).toBe(true);
      }
    }
  });

  it("counts each child's attempts and approvals, and its share of its router's traffic", async () => {
    const merchant = await MerchantSession.create(gateway);
    const paymentsFrom = Date.now();
    for (let i = 0; i < 3; i++) await merchant.pay().expect(201);
    await merchant.pay({}, DECLINED_CARD).expect(201);
    await merchant.pay({ currency: 'USD' }).expect(201);

    const body = await series();
    const eu = child(body, 'root', 'eu');
    const us = child(body, 'root', 'us');
    const global = child(body, 'root', 'global');
    expect([total(eu.attempts), total(eu.approved)]).toEqual([4, 3]);
    expect([total(us.attempts), total(us.approved)]).toEqual([1, 1]);
    expect(total(global.attempts)).toBe(0);
    const leaves = router(body, 'eu').children;
    expect(total(leaves[0]!.attempts) + total(leaves[1]!.attempts)).toBe(4);
    // sim-gamma comes first by priority and takes the USD payment.
    expect(total(child(body, 'us', 'sim-gamma').attempts)).toBe(1);

    // Per bucket: shares of a router's children add up to 1 where it had traffic, null elsewhere;
    // approval rates are approved / attempts.
    for (const { children } of body.routers) {
      body.buckets.forEach((_, bucket) => {
        const traffic = children.reduce((sum, { attempts }) => sum + attempts[bucket]!, 0);
        for (const { attempts, approved, share, approval_rate } of children) {
          expect(share[bucket]).toBe(traffic ? attempts[bucket]! / traffic : null);
          expect(approval_rate[bucket]).toBe(attempts[bucket] ? approved[bucket]! / attempts[bucket]! : null);
        }
        if (traffic) expect(children.reduce((sum, { share }) => sum + share[bucket]!, 0)).toBeCloseTo(1);
      });
    }
    // Oldest first: the payments are counted in the bucket they started in or a later one.
    const first = body.buckets.indexOf(Math.floor(paymentsFrom / 60_000) * 60_000);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(total(eu.attempts.slice(first))).toBe(4);
  });

  it('is documented as an ops operation with the admin token and the ops errors', () => {
    const operation = api.operation('get', '/v1/ops/routing/series') as { security: unknown; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
    expect(operation.security).toEqual([{ admin_token: [] }]);
    expect(operation.responses['200']?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/RoutingSeriesResponse' });
    for (const status of ['401', '429', '500']) {
      expect(operation.responses[status]?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
    }
  });

  it('answers 401 without the admin token', async () => {
    const response = await gateway.http.get('/v1/ops/routing/series');
    api.expectConforms(response, 'get', '/v1/ops/routing/series');
    expect(response.status).toBe(401);
    const merchant = await MerchantSession.create(gateway);
    expect((await merchant.get('/v1/ops/routing/series')).status).toBe(401);
  });
});
