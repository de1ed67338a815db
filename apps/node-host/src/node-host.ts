import { Logger } from '@nestjs/common';
import type { AdapterType, NodeLogger } from '#gateway-spi';
import { buildTree, closeTree, loadTreeFile, openTree, type Tree } from '#orchestration';
import { remoteNodeType, serveSubtree, type RemoteTarget } from '#remote';
import type { NodeHostConfig } from './node-host-config.js';

export interface NodeHost {
  tree: Tree;
  /** Where it serves, with the port the system chose when PORT=0. */
  target: RemoteTarget;
  /** Graceful stop: refuses new requests, waits for those in flight, closes the transport and the tree. */
  stop(): Promise<void>;
}

/** The node-host's logs go through Nest's logger. */
export function hostLogger(context: string): NodeLogger {
  const logger = new Logger(context);
  const line = (message: string, fields?: Record<string, unknown>) => (fields ? `${message} ${JSON.stringify(fields)}` : message);
  return {
    debug: (message, fields) => logger.debug(line(message, fields)),
    info: (message, fields) => logger.log(line(message, fields)),
    warn: (message, fields) => logger.warn(line(message, fields)),
    error: (message, fields) => logger.error(line(message, fields)),
  };
}

/** Builds the subtree of `config.treeFile` with `catalog` (nested remote subtrees allowed) and serves it. */
export async function startNodeHost(config: NodeHostConfig, catalog: readonly AdapterType[]): Promise<NodeHost> {
  const natsServers = config.target.transport === 'nats' ? config.target.servers : [];
  const tree = buildTree(loadTreeFile(config.treeFile), catalog, { nodeTypes: [remoteNodeType({ natsServers, logger: hostLogger('RemoteNode') })] });
  await openTree(tree);
  const served = await serveSubtree(tree, config.target, { logger: hostLogger('Subtree'), ...(config.queue && { queue: config.queue }) }).catch(async (error: unknown) => {
    await closeTree(tree);
    throw error;
  });
  let stopping: Promise<void> | undefined;
  return {
    tree,
    target: served.target,
    stop: () =>
      (stopping ??= (async () => {
        await served.close(config.drainTimeoutMs);
        await closeTree(tree);
      })()),
  };
}

