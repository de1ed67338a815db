import type { FaultSpec, GatewayNode, HealthReport, NodeDescriptor } from '#gateway-spi';
import type { NodeCounters } from '../tree/node-stats.service.js';

export interface TreeViewSources {
  health: HealthReport;
  nodeById(id: string): GatewayNode | undefined;
  countersOf(id: string): NodeCounters;
}

function healthById(report: HealthReport, into = new Map<string, HealthReport>()): Map<string, HealthReport> {
  into.set(report.id, report);
  for (const child of report.children ?? []) healthById(child, into);
  return into;
}

/** The ops view of one node and its subtree (GET /v1/ops/tree). */
export function presentTree(descriptor: NodeDescriptor, sources: TreeViewSources) {
  const health = healthById(sources.health);
  const present = (node: NodeDescriptor, parentPath: string[]): Record<string, unknown> => {
    const path = [...parentPath, node.id];
    const fault: FaultSpec | null | undefined = sources.nodeById(node.id)?.faults?.currentFault();
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
      breaker: null,
      fault: fault === undefined ? undefined : fault && { mode: fault.mode, latency_ms: fault.latencyMs ?? null, rate: fault.rate ?? 1 },
      counters: sources.countersOf(node.id),
      children: (node.children ?? []).map((child) => present(child, path)),
    };
  };
  return present(descriptor, []);
}
