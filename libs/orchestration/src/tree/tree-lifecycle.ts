import type { Tree } from './tree-builder.js';

/** Opens every node that holds resources (e.g. a remote node's connection); nodes never throw from `open`. */
export async function openTree(tree: Pick<Tree, 'nodes'>): Promise<void> {
  await Promise.all([...tree.nodes.values()].map((node) => node.open?.()));
}

/** Closes every node that holds resources; one failing close does not keep the others open. */
export async function closeTree(tree: Pick<Tree, 'nodes'>): Promise<void> {
  await Promise.allSettled([...tree.nodes.values()].map((node) => node.close?.()));
}
