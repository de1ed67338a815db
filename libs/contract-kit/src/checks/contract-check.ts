import type { NodeExpectations, ResolvedFixture } from '../contract-subject.js';
import type { NodeHarness } from '../harness/node-harness.js';

/** One promise of the node interface, as a plain async function over a harness (usable without Vitest). */
export interface ContractCheck {
  /** Stable id, e.g. `idempotency.attempt`, to run one check programmatically. */
  id: string;
  title: string;
  run(h: NodeHarness): Promise<void>;
  /**
   * Whether the check is part of this subject's contract. Checks come in pairs on declarations: an
   * operation declared unsupported swaps its checks for one that demands an explicit "not supported".
   */
  when?(fixture: ResolvedFixture, expectations: NodeExpectations): boolean;
  /** Why the check cannot run for this subject, as declared by its fixture (reported as skipped, with the reason). */
  notApplicable?(fixture: ResolvedFixture, expectations: NodeExpectations): string | null;
}
