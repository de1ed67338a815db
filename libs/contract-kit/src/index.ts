export { describeNodeContract, ContractViolation } from './describe-node-contract.js';
export { runContract, runContractCheck, type CheckResult } from './run-contract.js';
export { CONTRACT_CHECKS, checksFor, contractCheck } from './contract-checks.js';
export { adapterSubjects, ContractProviderSession, providerModeFromEnv, type ProviderMode } from './adapter-subjects.js';
export { API_SANDBOX_CARDS, resolveFixture } from './contract-fixture.js';
export {
  isSkipped,
  isUnfit,
  type ContractEntry,
  type ContractFixture,
  type NodeContractSubject,
  type NodeExpectations,
  type NotificationWriter,
  type ResolvedFixture,
  type SkippedSubject,
  type UnfitSubject,
} from './contract-subject.js';
export type { ContractCheck } from './checks/contract-check.js';
export { NodeHarness } from './harness/node-harness.js';
export { CapturingLogger, type LogLine } from './harness/capturing-logger.js';
export { cardDataProblems } from './harness/card-data.js';
export { completeRedirect, ShopperError, type ShopperOptions } from './harness/shopper.js';
