import { buildTree, closeTree, TreeConfigError } from '#orchestration';
import { describe, expect, it } from 'vitest';
import { fakeCatalog } from '../../../orchestration/test-support/fake-catalog.js';
import { parseRemoteConfig } from './remote-config.js';
import { RemoteNode } from './remote-subtree.node.js';
import { remoteNodeType } from './remote-subtree.type.js';

const withRemote = (remote: Record<string, unknown>) => ({
  root: { id: 'root', type: 'router', strategy: 'priority', children: [{ id: 'a', type: 'fake' }, { id: 'far', type: 'remote', ...remote }] },
});

function problemsOf(config: unknown): string[] {
  try {
    buildTree(config, fakeCatalog, { nodeTypes: [remoteNodeType()] });
  } catch (error) {
    expect(error).toBeInstanceOf(TreeConfigError);
    return [...(error as TreeConfigError).problems];
  }
  throw new Error('expected a TreeConfigError');
}

describe('remote node config (type: remote)', () => {
  it('builds a remote node over TCP and over NATS', async () => {
    // Nothing listens on port 1: the background describe these nodes start is refused at once.
    const tcp = buildTree(withRemote({ transport: 'tcp', options: { host: '127.0.0.1', port: 1 } }), fakeCatalog, { nodeTypes: [remoteNodeType()] });
    expect(tcp.nodes.get('far')).toBeInstanceOf(RemoteNode);
    expect(tcp.paths.get('far')).toEqual(['root', 'far']);
    expect(tcp.nodes.get('far')!.describe()).toMatchObject({ kind: 'remote', type: 'remote', boundary: { transport: 'tcp', target: '127.0.0.1:1', describedAt: null } });
    const nats = buildTree(withRemote({ transport: 'nats', options: { servers: 'nats://127.0.0.1:1', subject: 'canopy.eu' } }), fakeCatalog, { nodeTypes: [remoteNodeType()] });
    expect(nats.nodes.get('far')!.describe().boundary).toMatchObject({ transport: 'nats', target: 'nats://127.0.0.1:1 canopy.eu' });
    await Promise.all([closeTree(tcp), closeTree(nats)]);
  });

  it('takes the NATS servers from the composition root when the config names none', () => {
    expect(parseRemoteConfig({ transport: 'nats', options: { subject: 'canopy.eu' } }, { natsServers: ['nats://n1:4222'] }).target).toEqual({ transport: 'nats', servers: ['nats://n1:4222'], subject: 'canopy.eu' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['missing transport', { options: { host: 'h', port: 1 } }, 'transport is required (one of tcp, nats)'],
    ['bad transport', { transport: 'udp', options: {} }, 'transport must be one of tcp, nats (got "udp")'],
    ['options not a mapping', { transport: 'tcp', options: [1] }, 'options must be a mapping'],
    ['missing host', { transport: 'tcp', options: { port: 4100 } }, 'options.host is required (the node-host address, e.g. 127.0.0.1)'],
    ['bad host', { transport: 'tcp', options: { host: 'a b', port: 4100 } }, 'options.host must be a host name or address (got "a b")'],
    ['missing port', { transport: 'tcp', options: { host: 'h' } }, 'options.port is required'],
    ['bad port', { transport: 'tcp', options: { host: 'h', port: 70000 } }, 'options.port must be an integer from 1 to 65535 (got 70000)'],
    ['nats option on tcp', { transport: 'tcp', options: { host: 'h', port: 1, subject: 's' } }, 'options.subject is not a known field (allowed: host, port)'],
    ['missing servers', { transport: 'nats', options: { subject: 'canopy.eu' } }, 'options.servers is required (NATS URLs, e.g. nats://127.0.0.1:4222)'],
    ['bad servers', { transport: 'nats', options: { servers: ['http://x'], subject: 'canopy.eu' } }, 'options.servers must be a NATS URL or a non-empty list of them, e.g. nats://127.0.0.1:4222 (got ["http://x"])'],
    ['missing subject', { transport: 'nats', options: { servers: 'nats://n:4222' } }, 'options.subject is required (the subject prefix the node-hosts serve, e.g. canopy.eu)'],
    ['wildcard subject', { transport: 'nats', options: { servers: 'nats://n:4222', subject: 'canopy.*' } }, 'options.subject must be dot-separated tokens of letters, digits, _ or - (got "canopy.*")'],
    ['unknown field', { transport: 'tcp', options: { host: 'h', port: 1 }, strategy: 'rules' }, 'strategy is not a known field (allowed: id, type, weight, transport, options)'],
  ])('%s: names the node and the field', (_name, remote, problem) => {
    expect(problemsOf(withRemote(remote))).toContain(`tree config: node "far" (root/far): ${problem}`);
  });

  it('is refused where the composition root registered no remote node type', () => {
    expect(() => buildTree(withRemote({ transport: 'tcp', options: { host: 'h', port: 1 } }), fakeCatalog)).toThrow(/type remote is not available in this process/);
  });
});
