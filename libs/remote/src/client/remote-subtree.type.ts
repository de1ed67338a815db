import type { NodeLogger } from '#gateway-spi';
import type { ExtraNodeType } from '#orchestration';
import { parseRemoteConfig, type RemoteConfigDefaults } from './remote-config.js';
import { RemoteNode } from './remote-subtree.node.js';

export interface RemoteNodeTypeSettings extends RemoteConfigDefaults {
  logger?: NodeLogger;
}

/**
 * The `remote` node type, registered by a composition root with `buildTree(…, { nodeTypes })`:
 * `{id, type: remote, transport: tcp|nats, options: {host, port} | {servers, subject}}`.
 */
export function remoteNodeType(settings: RemoteNodeTypeSettings = {}): ExtraNodeType {
  return {
    type: 'remote',
    description: 'a subtree served by a node-host in another process, over TCP or NATS',
    fields: ['transport', 'options'],
    validate: (config) => parseRemoteConfig(config, settings).problems,
    create: (id, config) => {
      const { target, problems } = parseRemoteConfig(config, settings);
      if (!target) throw new Error(`remote node ${id}: ${problems.join('; ')}`);
      return new RemoteNode({ id, target, ...(settings.logger && { logger: settings.logger }) });
    },
  };
}
