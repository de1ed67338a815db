import type { AdapterType } from '#gateway-spi';
import type { ContractEntry } from './contract-subject.js';

/**
 * One contract subject per adapter type of `catalog`, built from the type's own `contract` fixture:
 * a new catalog entry is enrolled by construction. A type without a fixture, or whose fixture
 * options it rejects, fails the run with a message saying what to add.
 */
export function adapterSubjects(catalog: readonly AdapterType[]): ContractEntry[] {
  return catalog.map((adapter): ContractEntry => {
    const name = `adapter ${adapter.type}`;
    const contract = adapter.contract;
    if (!contract) {
      return { name, problem: `adapter type ${adapter.type} declares no contract fixture: set \`contract\` on its AdapterType (options and sandbox cards the contract runs with)` };
    }
    const problems = adapter.validateOptions(contract.options);
    if (problems.length > 0) return { name, problem: `adapter type ${adapter.type}: its contract fixture's options are invalid: ${problems.join('; ')}` };
    const { options, unsupported, ...fixture } = contract;
    return {
      name,
      create: () => adapter.create(`contract-${adapter.type}`, options),
      fixture,
      expectations: { kind: 'adapter', type: adapter.type, unsupported: unsupported ?? [] },
    };
  });
}
