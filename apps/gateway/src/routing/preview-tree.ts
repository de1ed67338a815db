import { childContext, type NodeContext, type RoutePreview, type RoutingFacts } from '#gateway-spi';
import type { Tree } from '#orchestration';

/** The root's preview; a tree that is a single leaf is described by its quote. */
export async function previewTree(tree: Tree, facts: RoutingFacts, ctx: NodeContext, pinned: boolean): Promise<RoutePreview> {
  const { root } = tree;
  if (root.preview) return root.preview(facts, ctx, { pinned });
  const quote = await root.quote(facts, childContext(ctx));
  const candidate = { path: [root.id], eligible: quote.eligible, fee: quote.eligible ? quote.fee : null, reason: quote.eligible ? '' : `not eligible: ${quote.reason}`, breaker: null };
  return { candidates: [candidate], skipped: [] };
}
