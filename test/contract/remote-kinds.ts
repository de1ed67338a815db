import { simulatorAdapter } from '#adapters/simulator';
import type { AdapterType } from '#gateway-spi';
import type { NodeContractSubject } from '#contract-kit';
import { buildTree } from '#orchestration';
import { RemoteNode, serveSubtree, type ServedSubtree } from '#remote';
import { listenTarget, type TransportName } from '../../libs/remote/test-support/served-subtree.js';
import { leafType } from './leaf-type.js';

/**
 * Remote nodes under the node contract: a sandbox leaf served by an in-process node-host over TCP,
 * and over NATS when the broker is reachable (`natsUrl`; REQUIRE_SERVICES=1 makes it required).
 * The contract then runs across the wire: deadlines, typed errors, card data, status, every operation.
 */
export function remoteSubjects(catalog: readonly AdapterType[], natsUrl: string | undefined): NodeContractSubject[] {
  const transports: TransportName[] = natsUrl ? ['tcp', 'nats'] : ['tcp'];
  return transports.map((transport) => {
    let served: ServedSubtree | undefined;
    const leaves = leafType(simulatorAdapter);
    return {
      name: `remote over ${transport} (a sandbox leaf behind a node-host)`,
      setup: async () => {
        await leaves.setup();
        const tree = { root: { id: `leaf-${transport}`, type: leaves.type, options: leaves.options() } };
        served = await serveSubtree(buildTree(tree, catalog), listenTarget(transport, natsUrl, 'contract'), { nestLogger: false });
      },
      teardown: async () => {
        await served?.close();
        await leaves.teardown();
      },
      create: () => {
        if (!served) throw new Error('the node-host is not serving yet');
        return new RemoteNode({ id: `remote-${transport}`, target: served.target });
      },
      notificationWriter: () => leaves.notificationWriter(),
      fixture: leaves.fixture,
      expectations: { kind: 'remote' as const, type: 'remote', unsupported: leaves.unsupported },
    };
  });
}
