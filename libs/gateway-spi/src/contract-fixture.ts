import type { NodeOptions } from './adapter-type.js';
import type { UnifiedCode } from './codes.js';

/** Operations a node may lack. It then answers them with an explicit "not supported" (`notSupported`). */
export type OptionalOperation = 'capture' | 'void' | 'refund';

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
}
