import { childContext, type GatewayNode, type NodeContext, type Quote, type QuoteRequest } from '#gateway-spi';
import { joinReasons } from './attempt-path.js';
import { allowFanOut, settleWithin } from './scatter.js';
import type { RouteCandidate } from './strategies/strategy.js';

/**
 * Scatters `request` to `nodes` in parallel, each under its own budget, and gathers their quotes in
 * node order. A node that misses its deadline (or throws) is not waited for: it gets an ineligible
 * quote saying so.
 */
export function gatherQuotes(nodes: readonly GatewayNode[], request: QuoteRequest, ctx: NodeContext, budgetMs: number): Promise<Quote[]> {
  allowFanOut(ctx.signal);
  return Promise.all(
    nodes.map((node) => {
      const childCtx = childContext(ctx, budgetMs);
      const fallback = (why: string): Quote => ({ eligible: false, fee: 0, path: [node.id], reason: `${node.id}: ${why}` });
      return settleWithin(node.quote(request, childCtx), childCtx.signal, fallback);
    }),
  );
}

/**
 * Quotes every candidate in parallel, each under its own budget, and answers with the first
 * eligible one in plan order: the leaf the payment would really reach, so the fee is the one it
 * would really pay (a `lowest-cost` plan carries its quotes and is ordered by fee, so there the
 * first candidate's quote is used as is: the cheapest).
 */
export async function quoteCandidates(
  routerId: string,
  candidates: readonly RouteCandidate[],
  request: QuoteRequest,
  ctx: NodeContext,
  budgetMs: number,
): Promise<Quote> {
  const missing = candidates.filter((candidate) => !candidate.quote).map((candidate) => candidate.node);
  const gathered = missing.length > 0 ? await gatherQuotes(missing, request, ctx, budgetMs) : [];
  const quotes = candidates.map((candidate) => candidate.quote ?? gathered[missing.indexOf(candidate.node)]!);
  const index = quotes.findIndex((quote) => quote.eligible);
  if (index < 0) {
    return { eligible: false, fee: 0, path: [routerId], reason: `no eligible child (${quotes.map((q) => q.reason).join(', ')})` };
  }
  const quote = quotes[index]!;
  return { ...quote, path: [routerId, ...quote.path], reason: joinReasons(candidates[index]!.reason, quote.reason) };
}
