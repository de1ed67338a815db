import type { GatewayNode, NodeKind, NotificationSample, OptionalOperation, SandboxCards, SignedNotification } from '#gateway-spi';

/** Test data and timing of a contract run; every field has a default (see `resolveFixture`). */
export interface ContractFixture {
  /** The sandbox's test cards where they differ from API.md's table. */
  cards?: Partial<SandboxCards>;
  /** Currency of the contract payments (default EUR). */
  currency?: string;
  /** A currency the node does not take (default XTS, ISO 4217's code for testing). */
  foreignCurrency?: string;
  /** Amount of the contract payments in minor units (default 1000, at least 10); partial amounts derive from it. */
  amount?: number;
  /** CVC sent with every card (default 737); the suite checks it never comes back. */
  cvc?: string;
  /** Deadline of an ordinary call (default 5000 ms): only a node that hangs ever reaches it. */
  callTimeoutMs?: number;
  /** Deadline of the calls that test deadlines (default 150 ms). */
  shortDeadlineMs?: number;
  /** How long past its deadline a call may take before it counts as hanging (default 1000 ms). */
  hangMarginMs?: number;
}

export type ResolvedFixture = Required<Omit<ContractFixture, 'cards'>> & { cards: SandboxCards };

/** What a node declares about itself, so the suite checks the declaration instead of skipping. */
export interface NodeExpectations {
  /** Operations the node answers with an explicit "not supported" (checked, never skipped). */
  unsupported?: readonly OptionalOperation[];
  /** The kind `describe()` must report. */
  kind?: NodeKind;
  /** The type `describe()` must report (an adapter's catalog type). */
  type?: string;
  /**
   * The node settles a lost reply itself by a status inquiry (routers do): the lost-reply card then
   * answers approved rather than unknown when the node has the time to ask.
   */
  settlesUnknown?: boolean;
}

/** Writes and signs a notification as the subject's provider would (`StartedContractProvider.notification`). */
export type NotificationWriter = (sample: NotificationSample) => SignedNotification;

/** One node kind under contract: a factory and its declarations (unjs/unstorage `testDriver` style). */
export interface NodeContractSubject {
  /** The line of the contract report, e.g. "adapter <type>" or "router weighted, 2 levels". */
  name: string;
  /** A fresh node for each check. Its `open` is called before the check and `close` after it. */
  create(): GatewayNode | Promise<GatewayNode>;
  /** Once before the kind's checks (e.g. start a server), and once after them. */
  setup?(): void | Promise<void>;
  teardown?(): void | Promise<void>;
  fixture?: ContractFixture;
  expectations?: NodeExpectations;
  /**
   * The writer of the provider notifications the leaves below take (read after setup, once per check):
   * the started provider's `notification`. A composite subject gives its leaves' provider's. Null or
   * absent: nobody writes them, so the node must declare `notifications` unsupported.
   */
  notificationWriter?(): NotificationWriter | null;
}

/** A node kind that cannot take part (e.g. an adapter type without a contract fixture): it fails with `problem`. */
export interface UnfitSubject {
  name: string;
  problem: string;
}

/** A node kind that cannot run here (e.g. a real sandbox without credentials): reported as skipped, saying why. */
export interface SkippedSubject {
  name: string;
  skip: string;
}

export type ContractEntry = NodeContractSubject | UnfitSubject | SkippedSubject;

export const isUnfit = (entry: ContractEntry): entry is UnfitSubject => 'problem' in entry;
export const isSkipped = (entry: ContractEntry): entry is SkippedSubject => 'skip' in entry;
