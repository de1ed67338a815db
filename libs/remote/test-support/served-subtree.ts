import { adapterCatalog } from '#adapter-catalog';
import { buildTree, type Tree } from '#orchestration';
import { uniqueSubject } from '../../../test/support/nats.js';
import { RemoteNode } from '../src/client/remote-subtree.node.js';
import { remoteNodeType } from '../src/client/remote-subtree.type.js';
import { serveSubtree, type ServedSubtree, type ServeSubtreeOptions } from '../src/server/serve-subtree.js';
import type { RemoteTarget } from '../src/wire/remote-target.js';

export type TransportName = 'tcp' | 'nats';

/** Where a test serves a subtree: an ephemeral TCP port, or a fresh NATS subject. */
export function listenTarget(transport: TransportName, natsUrl?: string, name = 'sub'): RemoteTarget {
  if (transport === 'tcp') return { transport: 'tcp', host: '127.0.0.1', port: 0 };
  if (!natsUrl) throw new Error('NATS is not available');
  return { transport: 'nats', servers: [natsUrl], subject: uniqueSubject(name) };
}

/** Builds `config` with the real adapter catalog (remote nodes allowed) and serves it in this process. */
export async function serveTestSubtree(config: unknown, target: RemoteTarget, options: ServeSubtreeOptions = {}): Promise<ServedSubtree & { tree: Tree }> {
  const tree = buildTree(config, adapterCatalog, { nodeTypes: [remoteNodeType()] });
  const served = await serveSubtree(tree, target, { nestLogger: false, ...options });
  return { ...served, tree };
}

/** A remote node pointing at `target`, opened (described) before it is returned. */
export async function openRemote(id: string, target: RemoteTarget, settings: { describeTimeoutMs?: number } = {}): Promise<RemoteNode> {
  const node = new RemoteNode({ id, target, ...settings });
  await node.open();
  return node;
}
