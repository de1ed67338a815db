export { simulatorAdapter } from './simulator.adapter.js';
export { SimulatorNode, DEFAULT_SLOW_MS, type SimulatorDeps } from './simulator.node.js';
export { DEFAULT_SIMULATOR_OPTIONS, parseSimulatorOptions, type SimulatorOptions } from './simulator.options.js';
export { TEST_CARDS, scriptForCard, type CardScript } from './test-cards.js';
export { simulatorFee } from './simulator.fee.js';
export { networkTransactionIdFor, type StoredCredentialRecord, type StoredCredentialView } from './stored-credential.js';
