import type { AdapterType, ContractProvider, NodeOptions, StartedContractProvider } from '#gateway-spi';
import type { ContractEntry, ContractFixture, NodeExpectations } from './contract-subject.js';

/** Where provider-backed types run: their fakes (`npm test`), or their real sandboxes (`npm run test:sandbox`). */
export type ProviderMode = 'fake' | 'sandbox';

/** The mode chosen by CANOPY_CONTRACT_PROVIDERS (`fake` unless it says `sandbox`). */
export function providerModeFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderMode {
  return env.CANOPY_CONTRACT_PROVIDERS === 'sandbox' ? 'sandbox' : 'fake';
}

/**
 * One contract subject per catalog type, built from the type's own contract fixture. A type that
 * talks to a provider runs against the provider `mode` names: started before its checks (its
 * options and environment then apply), stopped after them.
 */
export function adapterSubjects(catalog: readonly AdapterType[], mode: ProviderMode = 'fake'): ContractEntry[] {
  return catalog.map((adapter): ContractEntry => {
    const name = `adapter ${adapter.type}`;
    const contract = adapter.contract;
    if (!contract) {
      return { name, problem: `adapter type ${adapter.type} declares no contract fixture: set \`contract\` on its AdapterType (options and sandbox cards the contract runs with)` };
    }
    const { options, unsupported, provider: providers, ...fixture } = contract;
    const expectations = { kind: 'adapter' as const, type: adapter.type, unsupported: unsupported ?? [] };
    const id = `contract-${adapter.type}`;
    const invalid = (given: NodeOptions) => {
      const problems = adapter.validateOptions(given);
      return problems.length > 0 ? `adapter type ${adapter.type}: its contract fixture's options are invalid: ${problems.join('; ')}` : null;
    };
    if (!providers) {
      const problem = invalid(options);
      if (problem) return { name, problem };
      return { name, create: () => adapter.create(id, options), fixture, expectations };
    }
    const provider: ContractProvider | undefined = providers[mode];
    if (!provider) return { name: `${name} (${mode})`, skip: `adapter type ${adapter.type} has no ${mode} to run the contract against` };
    const missing = (provider.requires ?? []).filter((variable) => !process.env[variable]);
    if (missing.length > 0) return { name: `${name} (${mode})`, skip: `set ${missing.join(' and ')} to run the contract of ${adapter.type} against its ${mode}` };
    return providerSubject(`${name} (${mode})`, adapter, id, provider, { ...fixture, cards: provider.cards ?? fixture.cards }, expectations, invalid);
  });
}

function providerSubject(
  name: string,
  adapter: AdapterType,
  id: string,
  provider: ContractProvider,
  fixture: ContractFixture,
  expectations: NodeExpectations,
  invalid: (options: NodeOptions) => string | null,
): ContractEntry {
  let started: StartedContractProvider | undefined;
  const previous = new Map<string, string | undefined>();
  return {
    name,
    setup: async () => {
      started = await provider.start();
      for (const [variable, value] of Object.entries(started.env ?? {})) {
        previous.set(variable, process.env[variable]);
        process.env[variable] = value;
      }
    },
    teardown: async () => {
      for (const [variable, value] of previous) {
        if (value === undefined) delete process.env[variable];
        else process.env[variable] = value;
      }
      await started?.stop();
    },
    create: () => {
      if (!started) throw new Error(`${adapter.type}: the contract's provider is not started`);
      const problem = invalid(started.options);
      if (problem) throw new Error(problem);
      return adapter.create(id, started.options);
    },
    fixture,
    expectations,
  };
}
