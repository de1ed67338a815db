import { childContext, type GatewayNode, type HealthReport, type NodeContext } from '#gateway-spi';
import { allowFanOut, settleWithin } from './scatter.js';

/**
 * Children's health in parallel, each under its own budget: up if all up, down if all down, else
 * degraded; `partial` when a child (or a child's child) did not answer in time. `adjust` lets the
 * router add what it knows of a child besides its own report (its breaker).
 */
export async function aggregateHealth(
  routerId: string,
  children: readonly GatewayNode[],
  ctx: NodeContext,
  budgetMs: number,
  adjust: (child: GatewayNode, report: HealthReport) => HealthReport = (_child, report) => report,
): Promise<HealthReport> {
  let partial = false;
  allowFanOut(ctx.signal);
  const reports = await Promise.all(
    children.map(async (child) => {
      const childCtx = childContext(ctx, budgetMs);
      const report = await settleWithin(child.health(childCtx), childCtx.signal, (why): HealthReport => {
        partial = true;
        return { id: child.id, status: 'down', detail: why };
      });
      return adjust(child, report);
    }),
  );
  partial ||= reports.some((report) => report.partial === true);
  const up = reports.filter((report) => report.status === 'up').length;
  const down = reports.filter((report) => report.status === 'down').length;
  const status = up === reports.length ? 'up' : down === reports.length ? 'down' : 'degraded';
  return { id: routerId, status, ...(partial ? { partial } : {}), children: reports };
}
