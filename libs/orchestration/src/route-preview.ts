import {
  childContext,
  type BreakerState,
  type GatewayNode,
  type NodeContext,
  type PreviewOptions,
  type Quote,
  type RoutePreview,
  type RoutingFacts,
} from '#gateway-spi';
import { joinReasons } from './attempt-path.js';
import { allowFanOut, settleWithin } from './scatter.js';
import type { RouteCandidate } from './strategies/strategy.js';

export interface PreviewSettings {
  routerId: string;
  /** Budget of a nested router's preview. */
  timeoutMs: number;
  /** Budget of a leaf's quote. */
  quoteTimeoutMs: number;
  breakerOf(child: GatewayNode): BreakerState | null;
}

/**
 * Expands a router's ordered candidates into the leaves a payment would be tried on, in the order
 * the failover walk would try them: a nested router's own candidates take its place. All children
 * are asked in parallel, each under its own deadline; a child that misses it is listed as skipped.
 * A child without `preview` (a leaf, a remote subtree) is described by its quote.
 */
export async function previewCandidates(
  candidates: readonly RouteCandidate[],
  facts: RoutingFacts,
  ctx: NodeContext,
  options: PreviewOptions,
  settings: PreviewSettings,
): Promise<RoutePreview> {
  allowFanOut(ctx.signal);
  const parts = await Promise.all(candidates.map((candidate) => previewChild(candidate, facts, ctx, options, settings)));
  return { candidates: parts.flatMap((part) => part.candidates), skipped: parts.flatMap((part) => part.skipped) };
}

async function previewChild(
  { node, reason, quote: planned }: RouteCandidate,
  facts: RoutingFacts,
  ctx: NodeContext,
  options: PreviewOptions,
  settings: PreviewSettings,
): Promise<RoutePreview> {
  const { routerId } = settings;
  if (node.preview) {
    const childCtx = childContext(ctx, settings.timeoutMs);
    const missed = (why: string): RoutePreview => ({ candidates: [], skipped: [{ path: [node.id], reason: why }] });
    const sub = await settleWithin(node.preview(facts, childCtx, options), childCtx.signal, missed);
    return {
      candidates: sub.candidates.map((leaf) => ({ ...leaf, path: [routerId, ...leaf.path], reason: joinReasons(reason, leaf.reason) })),
      skipped: sub.skipped.map((skip) => ({ ...skip, path: [routerId, ...skip.path] })),
    };
  }
  const childCtx = childContext(ctx, settings.quoteTimeoutMs);
  const missed = (why: string): Quote => ({ eligible: false, fee: 0, path: [node.id], reason: why });
  const quote = planned ?? (await settleWithin(node.quote(facts, childCtx), childCtx.signal, missed));
  // A remote subtree quotes with its full path down to its leaf.
  const below = quote.eligible && quote.path[0] === node.id ? quote.path : [node.id];
  return {
    candidates: [
      {
        path: [routerId, ...below],
        eligible: quote.eligible,
        fee: quote.eligible ? quote.fee : null,
        reason: quote.eligible ? reason : joinReasons(reason, `not eligible: ${quote.reason}`),
        breaker: settings.breakerOf(node),
      },
    ],
    skipped: [],
  };
}
