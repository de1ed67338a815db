import { afterAll, beforeAll, describe, it } from 'vitest';
import { checksFor } from './contract-checks.js';
import { resolveFixture } from './contract-fixture.js';
import { isSkipped, isUnfit, type ContractEntry } from './contract-subject.js';
import { runContractCheck } from './run-contract.js';

/** A check's findings: the first one on the first line (the report's line), then all of them. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';

  constructor(title: string, failures: readonly string[]) {
    const [first, ...more] = failures;
    super(`${first!.split('\n')[0]}${more.length > 0 ? ` (+${more.length} more)` : ''}\n${failures.map((failure) => `  - ${failure}`).join('\n')}\n  (check: ${title})`);
  }
}

/**
 * Registers the node contract as one Vitest suite named after the subject, one test per check (like
 * unjs/unstorage's `testDriver`). The checks of one subject run concurrently: each has its own node.
 */
export function describeNodeContract(entry: ContractEntry): void {
  describe.concurrent(entry.name, () => {
    if (isUnfit(entry)) {
      it('takes part in the node contract', () => {
        throw new Error(entry.problem);
      });
      return;
    }
    if (isSkipped(entry)) {
      it.skip(`skipped: ${entry.skip}`, () => {});
      return;
    }
    const subject = entry;
    const fixture = resolveFixture(subject.fixture);
    if (subject.setup) beforeAll(() => subject.setup!());
    if (subject.teardown) afterAll(() => subject.teardown!());
    for (const check of checksFor(fixture, subject.expectations ?? {})) {
      const reason = check.notApplicable?.(fixture, subject.expectations ?? {}) ?? null;
      if (reason !== null) {
        it.skip(`${check.title} (not applicable: ${reason})`, () => {});
        continue;
      }
      it(check.title, async () => {
        const result = await runContractCheck(subject, check);
        if (result.failures.length > 0) throw new ContractViolation(check.title, result.failures);
      });
    }
  });
}
