import { childContext, type HealthReport, type NodeContext } from '#gateway-spi';
import type { Tree } from '#orchestration';
import { previewTree } from '../routing/index.js';

/** The payment readiness asks the routers about, in each currency (10.00 by card, no country). */
const PROBE_AMOUNT = 1000;

function statusById(report: HealthReport, into = new Map<string, HealthReport['status']>()): Map<string, HealthReport['status']> {
  into.set(report.id, report.status);
  for (const child of report.children ?? []) statusById(child, into);
  return into;
}

/**
 * For each currency the tree takes: `up` when the routers would send a payment in it to at least
 * one leaf that quotes it, whose breaker is not open and whose health is not down.
 */
export async function currencyRoutes(tree: Tree, health: HealthReport, ctx: NodeContext): Promise<Record<string, 'up' | 'down'>> {
  const statuses = statusById(health);
  const currencies = tree.root.describe().capabilities.currencies;
  const routes = await Promise.all(
    currencies.map(async (currency) => {
      const facts = { amount: PROBE_AMOUNT, currency, method: 'card', paymentId: 'pay_ready' };
      const preview = await previewTree(tree, facts, childContext(ctx), false);
      const healthy = preview.candidates.some((leaf) => leaf.eligible && leaf.breaker !== 'open' && statuses.get(leaf.path.at(-1)!) !== 'down');
      return [currency, healthy ? 'up' : 'down'] as const;
    }),
  );
  return Object.fromEntries(routes);
}
