import { childContext, type GatewayNode, type HealthReport, type NodeContext } from '#gateway-spi';
import { settleWithin } from './scatter.js';

/** Children's health in parallel, each under its own budget: up if all up, down if all down. */
export async function aggregateHealth(
  routerId: string,
  children: readonly GatewayNode[],
  ctx: NodeContext,
  budgetMs: number,
): Promise<HealthReport> {
  let partial = false;
  const reports = await Promise.all(
    children.map((child) => {
      const childCtx = childContext(ctx, budgetMs);
      return settleWithin(child.health(childCtx), childCtx.signal, (why): HealthReport => {
        partial = true;
        return { id: child.id, status: 'down', detail: why };
      });
    }),
  );
  partial ||= reports.some((report) => report.partial === true);
  const up = reports.filter((report) => report.status === 'up').length;
  const down = reports.filter((report) => report.status === 'down').length;
  const status = up === reports.length ? 'up' : down === reports.length ? 'down' : 'degraded';
  return { id: routerId, status, ...(partial ? { partial } : {}), children: reports };
}
