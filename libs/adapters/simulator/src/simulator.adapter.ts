import type { AdapterType } from '#gateway-spi';
import { simulatorContractFixture } from './contract/simulator.contract-fixture.js';
import { SimulatorNode } from './simulator.node.js';
import { parseSimulatorOptions, validateSimulatorOptions } from './simulator.options.js';

export const simulatorAdapter: AdapterType = {
  type: 'simulator',
  description: 'Sandbox provider: test cards, in-memory ledger, injectable faults',
  validateOptions: validateSimulatorOptions,
  contract: simulatorContractFixture,
  create(id, options) {
    const parsed = parseSimulatorOptions(options);
    if (parsed.problems.length > 0) throw new Error(`simulator ${id}: ${parsed.problems.join('; ')}`);
    return new SimulatorNode(id, parsed.options);
  },
};
