import { adapterCatalog } from '#adapter-catalog';
import { adapterSubjects, describeNodeContract, providerModeFromEnv, type ContractEntry } from '#contract-kit';
import { requireNats } from '../support/nats.js';
import { remoteSubjects } from './remote-kinds.js';
import { routerSubjects } from './router-kinds.js';

/**
 * Every node kind that must keep the node contract. Adapter types come from the catalog, so a new
 * catalog entry is enrolled by construction. A new node kind is one more line here.
 */
const NODE_KINDS: readonly ContractEntry[] = [
  ...adapterSubjects(adapterCatalog, providerModeFromEnv()),
  ...routerSubjects(adapterCatalog),
  ...remoteSubjects(adapterCatalog, await requireNats()),
];

for (const kind of NODE_KINDS) describeNodeContract(kind);
