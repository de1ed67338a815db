import { adapterCatalog } from '#adapter-catalog';
import { buildTree, loadTreeFile } from '#orchestration';
import { remoteNodeType } from '#remote';
import { ConfigError, loadGatewayConfig } from './config/gateway-config.js';
import { nodeLogger } from './common/node-context.js';
import { createGatewayApp } from './create-gateway-app.js';
import { exitIfShutdownHangs } from './shutdown/index.js';
import { DEVELOPMENT_KEY_FILE, developmentVaultKey } from './vault/index.js';

async function main(): Promise<void> {
  const loaded = loadGatewayConfig();
  // The embedded database alone (development): a key of the data directory, so that `npm start` can save cards.
  const developmentKey = !loaded.vault.key && !loaded.databaseUrl;
  const config = developmentKey ? { ...loaded, vault: { ...loaded.vault, key: developmentVaultKey(loaded.dataDir), keyGenerated: true } } : loaded;
  const remote = remoteNodeType({ natsServers: config.natsUrl ? [config.natsUrl] : [], logger: nodeLogger('remote-nodes') });
  const tree = buildTree(loadTreeFile(config.treeFile), adapterCatalog, { nodeTypes: [remote] });
  const app = await createGatewayApp({ config, tree });
  await app.listen({ port: config.port, host: config.host });
  exitIfShutdownHangs(config);
  const base = `http://${config.host}:${config.port}`;
  const database = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}/`;
  console.log(`Canopy gateway listening on ${base}`);
  console.log(`  tree:     ${config.treeFile} (${tree.nodes.size} nodes)`);
  console.log(`  database: ${database}`);
  console.log(`  health:   ${base}/health/ready`);
  if (developmentKey) {
    console.log(`  vault:    development key in ${config.dataDir}/${DEVELOPMENT_KEY_FILE} (beside the database: set CANOPY_VAULT_KEY in production)`);
  } else if (!config.vault.key) {
    console.log('  vault:    unavailable: set CANOPY_VAULT_KEY (32 bytes, base64) to tokenize and save cards');
  }
  if (config.adminTokenGenerated) {
    console.log(`  admin token (generated, shown once; set CANOPY_ADMIN_TOKEN to choose one): ${config.adminToken}`);
  }
  console.log(`  create a merchant: curl -X POST ${base}/v1/ops/merchants -H "Authorization: Bearer <admin token>" -H "Content-Type: application/json" -d '{"name":"Acme"}'`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || (error instanceof Error && error.name === 'TreeConfigError')) {
    console.error(`Canopy could not start: ${error.message}`);
  } else {
    console.error('Canopy could not start:', error);
  }
  process.exit(1);
});
