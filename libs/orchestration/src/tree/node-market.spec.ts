import type { GatewayNode, MarketControl, MarketSpec, SubtreeMarkets, SubtreeOps } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { FakeLeaf } from '../../test-support/fake-leaf.js';
import { changeMarket, marketOf, marketsOf } from './node-market.js';

/** A leaf's market control: the configured market until set; a negative seed is refused. */
function marketControl(configured: MarketSpec | null): MarketControl {
  let current = configured;
  return {
    setMarket: (spec) => {
      if (spec.seed !== undefined && spec.seed < 0) throw new RangeError('invalid market: market.seed must be a non-negative integer');
      current = { ...spec };
    },
    resetMarket: () => void (current = configured),
    currentMarket: () => current && { ...current },
  };
}

/** Ops of a subtree living elsewhere, holding `ids`; with `markets` it relays them (leaf `x` has one). */
function subtreeOps(ids: string[], markets?: SubtreeMarkets): SubtreeOps {
  return {
    has: (id) => ids.includes(id),
    faults: () => ({}),
    setFault: async () => ({ ok: true, fault: null }),
    clearFault: async () => ({ ok: true, fault: null }),
    ...(markets && { markets }),
  };
}

function relayedMarkets(): SubtreeMarkets {
  let x: MarketSpec | null = null;
  return {
    markets: () => ({ x }),
    setMarket: async (id, spec) => (id === 'x' ? { ok: true, market: (x = spec) } : { ok: false, reason: 'not_supported', message: 'no market' }),
    resetMarket: async () => ({ ok: true, market: (x = null) }),
  };
}

function tree() {
  const leaf = Object.assign(new FakeLeaf('leaf'), { market: marketControl({ seed: 7 }) });
  const old = Object.assign(new FakeLeaf('old-front'), { subtreeOps: subtreeOps(['far']) });
  const front = Object.assign(new FakeLeaf('front'), { subtreeOps: subtreeOps(['x', 'edge'], relayedMarkets()) });
  return { nodes: new Map<string, GatewayNode>([['leaf', leaf], ['plain', new FakeLeaf('plain')], ['old-front', old], ['front', front]]) };
}

describe('markets addressed by node id (node-market)', () => {
  it('reads, sets and resets the market of a leaf that has one', async () => {
    const nodes = tree();
    expect(marketOf(nodes, 'leaf')).toEqual({ ok: true, market: { seed: 7 } });
    expect(await changeMarket(nodes, 'leaf', { approvalRate: 0 })).toEqual({ ok: true, market: { approvalRate: 0 } });
    expect(marketOf(nodes, 'leaf')).toEqual({ ok: true, market: { approvalRate: 0 } });
    expect(await changeMarket(nodes, 'leaf', null)).toEqual({ ok: true, market: { seed: 7 } });
  });

  it('answers the leaf\'s refusal of a bad market as invalid, and keeps the market in force', async () => {
    const nodes = tree();
    expect(await changeMarket(nodes, 'leaf', { seed: -1 })).toEqual({ ok: false, reason: 'invalid', message: 'invalid market: market.seed must be a non-negative integer' });
    expect(marketOf(nodes, 'leaf')).toEqual({ ok: true, market: { seed: 7 } });
  });

  it('reaches leaves of a remote subtree through the node that fronts it, as last reported', async () => {
    const nodes = tree();
    expect(marketOf(nodes, 'x')).toEqual({ ok: true, market: null });
    expect(await changeMarket(nodes, 'x', { approvalRate: 0.5 })).toEqual({ ok: true, market: { approvalRate: 0.5 } });
    expect(marketOf(nodes, 'x')).toEqual({ ok: true, market: { approvalRate: 0.5 } });
    expect(marketsOf(nodes)).toEqual({ leaf: { seed: 7 }, x: { approvalRate: 0.5 } });
    expect(await changeMarket(nodes, 'x', null)).toEqual({ ok: true, market: null });
    // A node of the subtree without a market: reported by nobody, refused there.
    expect(marketOf(nodes, 'edge')).toMatchObject({ ok: false, reason: 'not_supported' });
    expect(await changeMarket(nodes, 'edge', {})).toMatchObject({ ok: false, reason: 'not_supported' });
  });

  it('refuses unknown nodes, nodes without a market, and nodes behind a subtree that relays no markets', async () => {
    const nodes = tree();
    expect(marketOf(nodes, 'ghost')).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await changeMarket(nodes, 'ghost', {})).toEqual({ ok: false, reason: 'not_found', message: "No such node: 'ghost'" });
    expect(marketOf(nodes, 'plain')).toMatchObject({ ok: false, reason: 'not_supported' });
    expect(await changeMarket(nodes, 'plain', null)).toMatchObject({ ok: false, reason: 'not_supported' });
    expect(await changeMarket(nodes, 'far', {})).toMatchObject({ ok: false, reason: 'not_supported' });
    expect(marketOf(nodes, 'far')).toMatchObject({ ok: false, reason: 'not_supported' });
  });
});
