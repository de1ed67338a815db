import { adapterCatalog } from '#adapter-catalog';
import { describeTarget } from '#remote';
import { loadNodeHostConfig, NodeHostConfigError } from './node-host-config.js';
import { startNodeHost, type NodeHost } from './node-host.js';

let host: NodeHost | undefined;
let stopSignal: string | undefined;

/** Graceful stop: drain what is in flight, close the transport and the tree, exit 0. */
function shutdown(running: NodeHost, signal: string): void {
  console.log(`${signal}: draining requests in flight, then stopping`);
  running.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('node-host did not stop cleanly:', error);
      process.exit(1);
    },
  );
}

function onSignal(signal: string): void {
  if (stopSignal) return;
  stopSignal = signal;
  // A signal during start-up stops the host as soon as it is up.
  if (host) shutdown(host, signal);
}

async function main(): Promise<void> {
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  const config = loadNodeHostConfig();
  host = await startNodeHost(config, adapterCatalog);
  const { target } = host;
  const reach =
    target.transport === 'tcp'
      ? `transport: tcp, options: {host: ${target.host}, port: ${target.port}}`
      : `transport: nats, options: {servers: [${target.servers.join(', ')}], subject: ${target.subject}}`;
  console.log(`Canopy node-host serving subtree "${host.tree.root.id}" (${host.tree.nodes.size} nodes) from ${config.treeFile}`);
  console.log(`  reach it from the root's tree: {id: <remote id>, type: remote, ${reach}}`);
  console.log(`  listening on ${target.transport} ${describeTarget(target)}${target.transport === 'nats' ? ` (queue group ${config.queue ?? target.subject})` : ''}`);
  if (stopSignal) shutdown(host, stopSignal);
}

main().catch((error: unknown) => {
  if (error instanceof NodeHostConfigError || (error instanceof Error && error.name === 'TreeConfigError')) {
    console.error(`Canopy node-host could not start: ${error.message}`);
  } else {
    console.error('Canopy node-host could not start:', error);
  }
  process.exit(1);
});
