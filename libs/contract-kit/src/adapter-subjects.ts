import type { AdapterType, ContractProvider, NodeOptions, StartedContractProvider } from '#gateway-spi';
import type { ContractEntry, ContractFixture, NodeExpectations, NotificationWriter } from './contract-subject.js';

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

/**
 * A contract provider while the contract runs against it: started with its environment set, stopped
 * with the environment restored. Subjects over leaves of a provider-backed type (routers, remotes) use
 * one too, to build their leaves from its options and to write its notifications.
 */
export class ContractProviderSession {
  private started: StartedContractProvider | undefined;
  private readonly previous = new Map<string, string | undefined>();

  constructor(
    private readonly provider: ContractProvider,
    /** Who runs against it, for errors (e.g. the adapter type). */
    private readonly owner: string,
  ) {}

  async start(): Promise<void> {
    this.started = await this.provider.start();
    for (const [variable, value] of Object.entries(this.started.env ?? {})) {
      this.previous.set(variable, process.env[variable]);
      process.env[variable] = value;
    }
  }

  async stop(): Promise<void> {
    for (const [variable, value] of this.previous) {
      if (value === undefined) delete process.env[variable];
      else process.env[variable] = value;
    }
    this.previous.clear();
    const started = this.started;
    this.started = undefined;
    await started?.stop();
  }

  /** The options that reach the started provider. */
  get options(): NodeOptions {
    if (!this.started) throw new Error(`${this.owner}: the contract's provider is not started`);
    return this.started.options;
  }

  /** Its notification writer; null when it writes none (or is not started). */
  notificationWriter(): NotificationWriter | null {
    const started = this.started;
    return started?.notification ? (sample) => started.notification!(sample) : null;
  }
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
  const session = new ContractProviderSession(provider, adapter.type);
  return {
    name,
    setup: () => session.start(),
    teardown: () => session.stop(),
    create: () => {
      const options = session.options;
      const problem = invalid(options);
      if (problem) throw new Error(problem);
      return adapter.create(id, options);
    },
    notificationWriter: () => session.notificationWriter(),
    fixture,
    expectations,
  };
}
