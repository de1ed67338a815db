import type { FaultSpec, GatewayNode, HealthReport, NodeDescriptor } from '#gateway-spi';
import type { NodeCounters, RecentActivity } from '../metrics/index.js';
import { presentBreaker } from './breaker-view.js';

export interface TreeViewSources {
  health: HealthReport;
  nodeById(id: string): GatewayNode | undefined;
  /** The injected fault of a node wherever it lives (remote subtrees included); undefined: takes none. */
  faultOf(id: string): FaultSpec | null | undefined;
  countersOf(id: string): NodeCounters;
  /** Attempts and approval rate over the last few minutes. */
  recentOf(id: string): RecentActivity;
}

function healthById(report: HealthReport, into = new Map<string, HealthReport>()): Map<string, HealthReport> {
  into.set(report.id, report);
  for (const child of report.children ?? []) healthById(child, into);
  return into;
}

/**
 * The ops view of one node and its subtree (GET /v1/ops/tree). A node whose children run in another
 * process carries `boundary` (transport, target, when it was last described); every node under it
 * carries `hosted_by`, the id of the remote node whose process serves it (null: this process).
 */
export function presentTree(descriptor: NodeDescriptor, sources: TreeViewSources) {
  const health = healthById(sources.health);
  const present = (node: NodeDescriptor, parentPath: string[], hostedBy: string | null): Record<string, unknown> => {
    const path = [...parentPath, node.id];
    const fault: FaultSpec | null | undefined = sources.faultOf(node.id);
    const report = health.get(node.id);
    return {
      id: node.id,
      path: path.join('/'),
      kind: node.kind,
      type: node.type,
      strategy: node.strategy ?? null,
      capabilities: {
        currencies: node.capabilities.currencies,
        payment_methods: node.capabilities.paymentMethods,
        countries: node.capabilities.countries,
        partial_capture: node.capabilities.partialCapture,
        multiple_refunds: node.capabilities.multipleRefunds,
      },
      health: report ? { status: report.status, partial: report.partial ?? false, detail: report.detail ?? null } : null,
      breaker: presentBreaker(parentPath.length > 0 ? sources.nodeById(parentPath.at(-1)!) : undefined, node.id),
      fault: fault === undefined ? undefined : fault && { mode: fault.mode, latency_ms: fault.latencyMs ?? null, rate: fault.rate ?? 1 },
      counters: sources.countersOf(node.id),
      recent: sources.recentOf(node.id),
      boundary: node.boundary ? { transport: node.boundary.transport, target: node.boundary.target, described_at: node.boundary.describedAt } : null,
      hosted_by: hostedBy,
      children: (node.children ?? []).map((child) => present(child, path, node.boundary ? node.id : hostedBy)),
    };
  };
  return present(descriptor, [], null);
}
