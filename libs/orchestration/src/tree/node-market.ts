import type { MarketChange, MarketSpec } from '#gateway-spi';
import { locate } from './node-faults.js';
import type { Tree } from './tree-builder.js';

const notFound = (id: string): MarketChange => ({ ok: false, reason: 'not_found', message: `No such node: '${id}'` });
const notSupported = (id: string): MarketChange => ({ ok: false, reason: 'not_supported', message: `Node '${id}' has no market (only sandbox leaves do).` });

/**
 * The market of node `id` (every field filled in; null: none), wherever it lives: a leaf of a remote
 * subtree as its node-host last reported it. A refusal when the node has none or is unknown.
 */
export function marketOf(tree: Pick<Tree, 'nodes'>, id: string): MarketChange {
  const located = locate(tree, id);
  if (!located) return notFound(id);
  if ('ops' in located) {
    const markets = located.ops.markets?.markets() ?? {};
    return id in markets ? { ok: true, market: markets[id] ?? null } : notSupported(id);
  }
  const market = located.node.market;
  return market ? { ok: true, market: market.currentMarket() } : notSupported(id);
}

/**
 * Sets (`spec`) the market of node `id`, or resets it (`null`) to its tree config's: on the node
 * itself when it lives in this process, else through the node whose remote subtree holds it.
 */
export async function changeMarket(tree: Pick<Tree, 'nodes'>, id: string, spec: MarketSpec | null): Promise<MarketChange> {
  const located = locate(tree, id);
  if (!located) return notFound(id);
  if ('ops' in located) {
    const markets = located.ops.markets;
    if (!markets) return notSupported(id);
    return spec ? markets.setMarket(id, spec) : markets.resetMarket(id);
  }
  const market = located.node.market;
  if (!market) return notSupported(id);
  try {
    if (spec) market.setMarket(spec);
    else market.resetMarket();
  } catch (error) {
    return { ok: false, reason: 'invalid', message: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, market: market.currentMarket() };
}

/** The markets of every node that has one (null: none set), remote subtrees included, by node id. */
export function marketsOf(tree: Pick<Tree, 'nodes'>): Record<string, MarketSpec | null> {
  const markets: Record<string, MarketSpec | null> = {};
  for (const [id, node] of tree.nodes) {
    if (node.market) markets[id] = node.market.currentMarket();
    if (node.subtreeOps?.markets) Object.assign(markets, node.subtreeOps.markets.markets());
  }
  return markets;
}
