import { contractCheck, checksFor } from './contract-checks.js';
import { resolveFixture } from './contract-fixture.js';
import type { ContractCheck } from './checks/contract-check.js';
import type { NodeContractSubject } from './contract-subject.js';
import { CheckAborted, show } from './harness/findings.js';
import { NodeHarness } from './harness/node-harness.js';

export interface CheckResult {
  id: string;
  title: string;
  status: 'passed' | 'failed' | 'not-applicable';
  /** Each broken promise, as a sentence; empty when passed. */
  failures: string[];
  /** Why the check did not run, as declared by the fixture. */
  reason?: string;
}

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : show(error));

/**
 * Runs one check against a fresh node of `subject` and returns what it found: plain data, no test
 * framework, so the suite's own tests can run it against broken nodes. Does not call setup/teardown.
 */
export async function runContractCheck(subject: NodeContractSubject, check: ContractCheck | string): Promise<CheckResult> {
  const chosen = typeof check === 'string' ? contractCheck(check) : check;
  const fixture = resolveFixture(subject.fixture);
  const expectations = subject.expectations ?? {};
  const result = { id: chosen.id, title: chosen.title };
  const reason = chosen.notApplicable?.(fixture, expectations) ?? null;
  if (reason !== null) return { ...result, status: 'not-applicable', failures: [], reason };
  let node;
  try {
    node = await subject.create();
    await node.open?.();
  } catch (error) {
    return { ...result, status: 'failed', failures: [`could not create the node: ${describeError(error)}`] };
  }
  const harness = new NodeHarness(node, fixture, expectations, subject.notificationWriter?.() ?? null);
  try {
    await chosen.run(harness);
  } catch (error) {
    if (!(error instanceof CheckAborted)) harness.findings.fail(`the check crashed: ${describeError(error)}`);
  } finally {
    await node.close?.().catch((error: unknown) => harness.findings.fail(`close() failed: ${describeError(error)}`));
  }
  const failures = harness.finish();
  return { ...result, status: failures.length === 0 ? 'passed' : 'failed', failures };
}

/** Every check of the subject's contract, one after the other, with setup and teardown around them. */
export async function runContract(subject: NodeContractSubject): Promise<CheckResult[]> {
  const fixture = resolveFixture(subject.fixture);
  await subject.setup?.();
  try {
    const results: CheckResult[] = [];
    for (const check of checksFor(fixture, subject.expectations ?? {})) results.push(await runContractCheck(subject, check));
    return results;
  } finally {
    await subject.teardown?.();
  }
}
