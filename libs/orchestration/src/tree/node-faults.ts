import type { FaultChange, FaultSpec, GatewayNode, SubtreeOps } from '#gateway-spi';
import type { Tree } from './tree-builder.js';

export type Located = { node: GatewayNode } | { ops: SubtreeOps } | null;

/** A node of this process, else the node whose remote subtree holds `id`, else null. */
export function locate(tree: Pick<Tree, 'nodes'>, id: string): Located {
  const node = tree.nodes.get(id);
  if (node) return { node };
  for (const candidate of tree.nodes.values()) {
    if (candidate.subtreeOps?.has(id)) return { ops: candidate.subtreeOps };
  }
  return null;
}

/** The injected fault of node `id` wherever it lives; undefined when it takes no faults or is unknown. */
export function faultOf(tree: Pick<Tree, 'nodes'>, id: string): FaultSpec | null | undefined {
  const located = locate(tree, id);
  if (!located) return undefined;
  return 'node' in located ? located.node.faults?.currentFault() : located.ops.faults()[id];
}

/**
 * Sets (`fault`) or clears (`null`) the fault of node `id`: on the node itself when it lives in this
 * process, else through the node whose remote subtree holds it.
 */
export async function changeFault(tree: Pick<Tree, 'nodes'>, id: string, fault: FaultSpec | null): Promise<FaultChange> {
  const located = locate(tree, id);
  if (!located) return { ok: false, reason: 'not_found', message: `No such node: '${id}'` };
  if ('ops' in located) return fault ? located.ops.setFault(id, fault) : located.ops.clearFault(id);
  const faults = located.node.faults;
  if (!faults) return { ok: false, reason: 'not_supported', message: `Node '${id}' does not accept injected faults (only sandbox leaves do).` };
  try {
    if (fault) faults.setFault(fault);
    else faults.clearFault();
  } catch (error) {
    return { ok: false, reason: 'invalid', message: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, fault: faults.currentFault() };
}

/** The faults of every node that takes faults (null: none set), remote subtrees included, by node id. */
export function faultsOf(tree: Pick<Tree, 'nodes'>): Record<string, FaultSpec | null> {
  const faults: Record<string, FaultSpec | null> = {};
  for (const [id, node] of tree.nodes) {
    if (node.faults) faults[id] = node.faults.currentFault();
    if (node.subtreeOps) Object.assign(faults, node.subtreeOps.faults());
  }
  return faults;
}
