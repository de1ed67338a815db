import type { Capabilities, FaultSpec, MarketSpec, NodeDescriptor } from '#gateway-spi';
import type { SubtreeDescription } from '../wire/protocol.js';

/** What a never-described remote can take: nothing, so routers leave it out until it is reached. */
export function noCapabilities(): Capabilities {
  return { currencies: [], paymentMethods: [], countries: [], partialCapture: false, multipleRefunds: false };
}

function idsOf(descriptor: NodeDescriptor, into = new Set<string>()): Set<string> {
  into.add(descriptor.id);
  for (const child of descriptor.children ?? []) idsOf(child, into);
  return into;
}

/**
 * The last description of a remote subtree, kept because `describe()` must answer synchronously:
 * it is fetched at open, refreshed on every health call and in the background when stale, and kept
 * (not dropped) while the node-host is unreachable, so routers still try the remote and fail over
 * on "connection refused" instead of silently never routing to it.
 */
export class DescribedSubtree {
  private description: SubtreeDescription | null = null;
  private ids = new Set<string>();
  private at: Date | null = null;

  get descriptor(): NodeDescriptor | null {
    return this.description?.descriptor ?? null;
  }

  get describedAt(): Date | null {
    return this.at;
  }

  get faults(): Readonly<Record<string, FaultSpec | null>> {
    return this.description?.faults ?? {};
  }

  get markets(): Readonly<Record<string, MarketSpec | null>> {
    return this.description?.markets ?? {};
  }

  remember(description: SubtreeDescription): void {
    this.description = description;
    this.ids = idsOf(description.descriptor);
    this.at = new Date();
  }

  has(nodeId: string): boolean {
    return this.ids.has(nodeId);
  }

  rememberFault(nodeId: string, fault: FaultSpec | null): void {
    if (this.description) this.description = { ...this.description, faults: { ...this.description.faults, [nodeId]: fault } };
  }

  rememberMarket(nodeId: string, market: MarketSpec | null): void {
    if (this.description) this.description = { ...this.description, markets: { ...this.description.markets, [nodeId]: market } };
  }
}
