import { attemptIdFor, contextWithTimeout, type NodeContext } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { simulatorAdapter } from './simulator.adapter.js';
import { SimulatorNode } from './simulator.node.js';
import { parseSimulatorOptions } from './simulator.options.js';
import { TEST_CARDS } from './test-cards.js';
import { cardRequest } from '../test-support/card-request.js';

/** Luhn-valid, no test script: the market decides. */
const PLAIN_CARD = '4111111111111111';
const ALL_SOFT = { approval_rate: 0, soft_decline_share: 1, soft_codes: ['try_again_later'] };

const ctx = (ms = 2000): NodeContext => contextWithTimeout(ms, { traceId: 'test' });
const address = (attemptId = attemptIdFor('pay_1', 1)) => ({ path: ['sim'], attemptId, providerReference: null });

function sim(options: Record<string, unknown> = {}, id = 'sim'): SimulatorNode {
  const parsed = parseSimulatorOptions(options);
  expect(parsed.problems).toEqual([]);
  return new SimulatorNode(id, parsed.options);
}

describe('simulator: market', () => {
  it('without a market approves every plain card, as before', async () => {
    const node = sim();
    expect(node.market.currentMarket()).toBeNull();
    expect(await node.authorize(cardRequest(PLAIN_CARD), ctx())).toMatchObject({ outcome: 'approved', code: null });
  });

  it('declines a plain card with the drawn code, not retryable, recorded in the ledger: status and replays say the same', async () => {
    const node = sim({ market: ALL_SOFT });
    const declined = await node.authorize(cardRequest(PLAIN_CARD), ctx());
    expect(declined).toMatchObject({ outcome: 'declined', code: 'try_again_later', retryable: false, message: 'The issuer asks to try again later.' });
    expect(declined.providerReference).toMatch(/^simch_/);
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'declined', code: 'try_again_later', amountAuthorized: 0, providerReference: declined.providerReference });
    // The market is changed meanwhile: the attempt id was decided, its replay answers the ledger.
    node.market.setMarket({ approvalRate: 1 });
    expect(await node.authorize(cardRequest(PLAIN_CARD), ctx())).toMatchObject({ outcome: 'declined', code: 'try_again_later', providerReference: declined.providerReference });
    expect(await node.authorize(cardRequest(PLAIN_CARD, { attemptId: 'att_pay_1_2', attemptSeq: 2 }), ctx())).toMatchObject({ outcome: 'approved' });
  });

  it.each([...TEST_CARDS.keys()].filter((number) => !['4000000000000101', '4000000000003220', '4000008400001629'].includes(number)))(
    'leaves test card %s to its script',
    async (number) => {
      const scripted = await sim().authorize(cardRequest(number), ctx());
      const underMarket = await sim({ market: ALL_SOFT }).authorize(cardRequest(number), ctx());
      expect({ outcome: underMarket.outcome, code: underMarket.code }).toEqual({ outcome: scripted.outcome, code: scripted.code });
    },
  );

  it('leaves a Luhn-invalid number to its script', async () => {
    expect(await sim({ market: ALL_SOFT }).authorize(cardRequest('4242424242424241'), ctx())).toMatchObject({ outcome: 'declined', code: 'invalid_card_number' });
  });

  it('rates by brand, country and amount band of the request', async () => {
    const node = sim({ market: { approval_rate: 1, by_brand: { mastercard: 0 }, by_country: { BR: 0 }, amount_bands: [{ up_to: 5000, approval_rate: 1 }, { approval_rate: 0 }] } });
    const attempt = (n: number) => ({ attemptId: `att_pay_1_${n}`, attemptSeq: n });
    expect((await node.authorize(cardRequest(PLAIN_CARD, attempt(1)), ctx())).outcome).toBe('approved');
    expect((await node.authorize(cardRequest('5105105105105100', attempt(2)), ctx())).outcome).toBe('declined');
    expect((await node.authorize(cardRequest(PLAIN_CARD, { ...attempt(3), customerCountry: 'br' }), ctx())).outcome).toBe('declined');
    expect((await node.authorize(cardRequest(PLAIN_CARD, { ...attempt(4), amount: 5001 }), ctx())).outcome).toBe('declined');
    expect((await node.authorize(cardRequest(PLAIN_CARD, { ...attempt(5), amount: 5000 }), ctx())).outcome).toBe('approved');
  });

  it('gives the same attempt the same verdict on another node with the same id and market, whatever else it saw', async () => {
    const market = { seed: 7, approval_rate: 0.5 };
    const ids = Array.from({ length: 40 }, (_, i) => attemptIdFor(`pay_${i}`, 1));
    const verdicts = async (node: SimulatorNode, order: string[]) => {
      const byId = new Map<string, string>();
      await Promise.all(order.map(async (attemptId) => byId.set(attemptId, (await node.authorize(cardRequest(PLAIN_CARD, { attemptId }), ctx())).code ?? 'approved')));
      return ids.map((id) => byId.get(id));
    };
    const first = await verdicts(sim({ market }), ids);
    expect(await verdicts(sim({ market }), [...ids].reverse())).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
  });

  it('comes after the faults, exactly as before', async () => {
    const node = sim({ market: ALL_SOFT });
    node.faults.setFault({ mode: 'down' });
    expect(await node.authorize(cardRequest(PLAIN_CARD), ctx())).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'unknown' });
    node.faults.clearFault();
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'not_found' });
  });

  it("waits its latency instead of latency_ms: a call whose deadline passes while waiting is unanswered and charges nothing", async () => {
    const node = sim({ latency_ms: 0, market: { latency: { median_ms: 60_000, p99_ms: 60_000 } } });
    expect(await node.authorize(cardRequest(PLAIN_CARD), ctx(30))).toMatchObject({ outcome: 'unknown', code: 'provider_timeout' });
    node.market.setMarket({}); // No latency: status answers at once.
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'not_found' });
  });

  it('is set and reset at run time: reset goes back to the tree config\'s market', async () => {
    const node = simulatorAdapter.create('sim', { market: { seed: 3, approval_rate: 1 } }) as SimulatorNode;
    expect(node.market.currentMarket()).toMatchObject({ seed: 3, approvalRate: 1 });
    node.market.setMarket({ approvalRate: 0, softDeclineShare: 0, hardCodes: ['stolen_card'] });
    expect(await node.authorize(cardRequest(PLAIN_CARD), ctx())).toMatchObject({ outcome: 'declined', code: 'stolen_card', message: 'The card was reported lost or stolen.' });
    node.market.resetMarket();
    expect(node.market.currentMarket()).toMatchObject({ seed: 3, approvalRate: 1 });
    expect(await node.authorize(cardRequest(PLAIN_CARD, { attemptId: 'att_pay_1_2', attemptSeq: 2 }), ctx())).toMatchObject({ outcome: 'approved' });
  });

  it('a tree config with a bad market does not build', () => {
    expect(simulatorAdapter.validateOptions({ market: { approval_rate: 2 } })).toEqual(['options.market.approval_rate must be a number from 0 to 1']);
    expect(() => simulatorAdapter.create('sim', { market: { approval_rate: 2 } })).toThrow('simulator sim: options.market.approval_rate must be a number from 0 to 1');
  });
});
