import { ContractProviderSession, type ContractFixture, type NotificationWriter } from '#contract-kit';
import type { AdapterType, NodeOptions, OptionalOperation } from '#gateway-spi';

/** The leaves a composite subject (router, remote) is built over: one adapter type under its contract fixture. */
export interface LeafType {
  type: string;
  /** The leaves' options: the fixture's, or those of its started fake. */
  options(): NodeOptions;
  fixture: ContractFixture;
  unsupported: readonly OptionalOperation[];
  /** Starts the type's fake provider, when it talks to one. */
  setup(): Promise<void>;
  teardown(): Promise<void>;
  notificationWriter(): NotificationWriter | null;
}

/** A fresh one per subject: each subject starts and stops its own fake. */
export function leafType(adapter: AdapterType): LeafType {
  const contract = adapter.contract;
  const fake = contract?.provider?.fake;
  const session = fake ? new ContractProviderSession(fake, adapter.type) : null;
  return {
    type: adapter.type,
    options: () => (session ? session.options : (contract?.options ?? {})),
    fixture: { cards: fake?.cards ?? contract?.cards ?? {}, currency: contract?.currency ?? 'EUR' },
    unsupported: contract?.unsupported ?? [],
    setup: async () => session?.start(),
    teardown: async () => session?.stop(),
    notificationWriter: () => session?.notificationWriter() ?? null,
  };
}
