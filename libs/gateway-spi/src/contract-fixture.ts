import type { NodeOptions } from './adapter-type.js';
import type { UnifiedCode } from './codes.js';
import type { NotificationFactKind } from './notifications.js';

/**
 * Operations a node may lack. It then answers them with an explicit "not supported" (`notSupported`,
 * `notificationsNotSupported`; `stored_credentials`: an authorize carrying a `storedCredential` answers
 * failed `operation_not_supported`, retryable, nothing charged, so a router may try a leaf that has them).
 */
export type OptionalOperation = 'capture' | 'void' | 'refund' | 'notifications' | 'stored_credentials';

/** A sandbox card number and the unified code the provider answers for it. */
export interface SandboxCard {
  number: string;
  code: UnifiedCode;
}

/** A provider sandbox's test card numbers, by the outcome each produces (API.md's table by default). */
export interface SandboxCards {
  /** Approved. */
  approved: readonly string[];
  /** Declined with `code`: final, nothing charged. */
  declined: readonly SandboxCard[];
  /** Refused with `code` before anything was charged: safe to try another child. */
  failed: readonly SandboxCard[];
  /**
   * Charged, but the reply never arrives before the deadline; `status` then says approved.
   * `null` declares that the sandbox has no such card (the contract reports that check as not applicable).
   */
  lostReply: string | null;
  /**
   * 3-D Secure: the provider asks for the shopper (a redirect to a challenge page whose first form
   * button completes it) and then approves (`challengeApproved`) or refuses (`challengeRefused`);
   * `frictionless` authenticates without the shopper. `null`: the sandbox has no such card (the checks
   * are reported not applicable).
   */
  challengeApproved: string | null;
  challengeRefused: string | null;
  frictionless: string | null;
}

/**
 * How an adapter type takes part in the contract suite (libs/contract-kit): the run builds one node
 * of the type with `options` and checks the whole node interface against the provider's sandbox.
 * A catalog type without a fixture fails the contract run, which is how a new type's to-do list starts.
 */
export interface AdapterContractFixture {
  /** Options of the node under test. Sandbox credentials come from the environment, never inline. */
  options: NodeOptions;
  /** The sandbox's test cards where they differ from API.md's table. */
  cards?: Partial<SandboxCards>;
  /** Currency of the contract payments (default EUR); one the node supports. */
  currency?: string;
  /** Operations the type does not offer: the suite checks each answers an explicit "not supported". */
  unsupported?: readonly OptionalOperation[];
  /**
   * Where the contract meets the provider, for a type that talks to one: `fake`, a wire-level fake
   * on 127.0.0.1 (what `npm test` runs), and optionally `sandbox`, the provider's real test system
   * (what `npm run test:sandbox` runs, from credentials in the environment). Absent: the node is
   * built from `options` as written, as a type without a provider is.
   */
  provider?: { fake: ContractProvider; sandbox?: ContractProvider };
}

/** One place the contract can run a type against: started once before the type's checks, stopped after. */
export interface ContractProvider {
  /** Environment variables it needs; when one is absent the type's contract is skipped with a line naming them. */
  requires?: readonly string[];
  /** Its test cards where they differ from API.md's table (replaces the fixture's `cards`). */
  cards?: Partial<SandboxCards>;
  start(): Promise<StartedContractProvider>;
}

export interface StartedContractProvider {
  /** Options that reach it; they replace the fixture's `options`. */
  options: NodeOptions;
  /** Variables the options name (e.g. a fake's API key), set for the run. */
  env?: Readonly<Record<string, string>>;
  /**
   * Writes and signs a notification as the provider would send it about `sample`, with the secret the
   * options name. Absent: the type takes no notifications (it must list `notifications` as unsupported).
   */
  notification?(sample: NotificationSample): SignedNotification;
  stop(): Promise<void>;
}

/** What a contract notification is about: an attempt (and operation) the checks made at the provider. */
export interface NotificationSample {
  /** The provider's event id (unique per call). */
  eventId: string;
  kind: Extract<NotificationFactKind, 'authorized' | 'captured' | 'capture_failed' | 'refunded' | 'refund_failed' | 'cancelled'>;
  attemptId: string;
  providerReference: string | null;
  /** For a modification: the operation id the check sent. */
  operationId?: string;
  amount: number;
  currency: string;
}

export interface SignedNotification {
  body: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
}
