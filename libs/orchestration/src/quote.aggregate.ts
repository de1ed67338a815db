import { childContext, type NodeContext, type Quote, type QuoteRequest } from '#gateway-spi';
import { joinReasons } from './attempt-path.js';
import { settleWithin } from './scatter.js';
import type { RouteCandidate } from './strategies/strategy.js';

/**
 * Quotes every candidate in parallel, each under its own budget, and answers with the first
 * eligible one in plan order: the leaf the payment would really reach, so the fee is the one it
 * would really pay (a `lowest-cost` router orders its plan by fee, so there first = cheapest).
 */
export async function quoteCandidates(
  routerId: string,
  candidates: readonly RouteCandidate[],
  request: QuoteRequest,
  ctx: NodeContext,
  budgetMs: number,
): Promise<Quote> {
  const quotes = await Promise.all(
    candidates.map(({ node }) => {
      const childCtx = childContext(ctx, budgetMs);
      const fallback = (why: string): Quote => ({ eligible: false, fee: 0, path: [node.id], reason: `${node.id}: ${why}` });
      return settleWithin(node.quote(request, childCtx), childCtx.signal, fallback);
    }),
  );
  const index = quotes.findIndex((quote) => quote.eligible);
  if (index < 0) {
    return { eligible: false, fee: 0, path: [routerId], reason: `no eligible child (${quotes.map((q) => q.reason).join(', ')})` };
  }
  const quote = quotes[index]!;
  return { ...quote, path: [routerId, ...quote.path], reason: joinReasons(candidates[index]!.reason, quote.reason) };
}
