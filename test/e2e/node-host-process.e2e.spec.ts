// apps/node-host as a real process: it serves a subtree, and on SIGTERM it drains (the request in
// flight is answered, new ones are refused as "nothing done") and exits 0.
import { attemptIdFor, contextWithTimeout, maskCard, type AuthorizeRequest } from '#gateway-spi';
import { RemoteNode } from '#remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NodeHostProcess, startNodeHostProcess } from '../support/node-host-process.js';

function payment(n: number): AuthorizeRequest {
  const paymentId = `pay_drain${Date.now().toString(36)}${n}`;
  const card = { number: '4242424242424242', expMonth: 12, expYear: 2030 };
  return {
    paymentId,
    attemptId: attemptIdFor(paymentId, 1),
    attemptSeq: 1,
    merchantId: 'mer_1',
    amount: 1000,
    currency: 'EUR',
    capture: false,
    paymentMethod: { type: 'card', card, display: maskCard(card) },
    metadata: {},
  };
}

describe('node-host process', () => {
  let host: NodeHostProcess;
  let remote: RemoteNode;

  beforeAll(async () => {
    // The sandbox leaf takes 600 ms per call: long enough to stop the host while one is in flight.
    host = await startNodeHostProcess({ tree: { root: { id: 'slow-leaf', type: 'simulator', options: { latency_ms: 600 } } }, transport: 'tcp' });
    remote = new RemoteNode({ id: 'far', target: host.target });
    await remote.open();
  }, 120_000);

  afterAll(async () => {
    await remote?.close();
    await host?.stop('SIGKILL');
  });

  it('serves its subtree, and on SIGTERM finishes the request in flight, refuses new ones, and exits 0', async () => {
    expect(remote.describe().children).toEqual([expect.objectContaining({ id: 'slow-leaf', kind: 'adapter' })]);
    const inFlight = remote.authorize(payment(1), contextWithTimeout(5_000, { traceId: 'drain' }));
    while (remote.traffic().sent < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    host.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await remote.authorize(payment(2), contextWithTimeout(5_000, { traceId: 'drain' }));
    expect(refused).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
    expect(await inFlight).toMatchObject({ outcome: 'approved', path: ['far', 'slow-leaf'] });
    expect(await host.exited).toBe(0);
    expect(host.output()).toContain('SIGTERM: draining requests in flight, then stopping');
  });
});
