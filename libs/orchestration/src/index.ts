export {
  RouterNode,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_STATUS_TIMEOUT_MS,
  DEFAULT_QUOTE_TIMEOUT_MS,
  type PlanSkip,
  type RouterNodeSettings,
  type RouterPlan,
} from './router.node.js';
export { authorizeWithFailover, attemptBudget, ANSWER_GRACE_MS, type FailoverSettings } from './failover.js';
export { ChildBreaker, DEFAULT_BREAKER, type BreakerRun, type BreakerSettings } from './child-breaker.js';
export { CODE_POLICY, countsAgainstChild, failedAttemptMayFailOver, mayFailOver, type CodePolicy } from './retry-policy.js';
export { gatherQuotes, quoteCandidates } from './quote.aggregate.js';
export { previewCandidates, type PreviewSettings } from './route-preview.js';
export { settleByStatusInquiry } from './status-inquiry.js';
export { firstKnowing, forwardNotification, reachOf, type Reach } from './notification-forward.js';
export { locateAttempts, type AttemptSearch, type LocatedAttempt } from './locate-attempts.js';
export { capabilityMisfit, unionCapabilities } from './capabilities.js';
export { routingFactsOf } from './routing-facts.js';
export { joinReasons, prefixOutcome } from './attempt-path.js';
export { allowFanOut, settleWithin } from './scatter.js';
export {
  STRATEGY_NAMES,
  type AvailableStrategyName,
  type ChildQuotes,
  type FittedChild,
  type RouteCandidate,
  type RoutePlan,
  type RoutingStrategy,
  type StrategyName,
} from './strategies/strategy.js';
export { RulesStrategy } from './strategies/rules.strategy.js';
export { WeightedStrategy } from './strategies/weighted.strategy.js';
export { PriorityStrategy } from './strategies/priority.strategy.js';
export { LowestCostStrategy } from './strategies/lowest-cost.strategy.js';
export { SuccessRateStrategy } from './strategies/success-rate/success-rate.strategy.js';
export { DEFAULT_SUCCESS_RATE, type SuccessRateSettings } from './strategies/success-rate/success-rate.settings.js';
export { SEGMENT_DIMENSIONS, type SegmentDimension } from './strategies/success-rate/segment.js';
export {
  CASCADE_RULES,
  CascadePolicy,
  DEFAULT_CASCADE,
  DEFAULT_CASCADE_TABLE,
  MERCHANT_INITIATED_RETRYABLE,
  type CascadeRule,
  type CascadeSettings,
} from './cascade-policy.js';
export { describeCondition, ruleMatches, type RoutingRule, type RuleCondition } from './strategies/rule-condition.js';
export { stableHash } from './strategies/stable-hash.js';
export { buildTree, type Tree } from './tree/tree-builder.js';
export { loadTreeFile } from './tree/load-tree-file.js';
export { validateTreeConfig } from './tree/tree-config.validate.js';
export { TreeConfigError } from './tree/tree-config.error.js';
export type { AdapterNodeConfig, ExtraNodeConfig, NodeConfig, RouterNodeConfig, TreeConfig } from './tree/tree-config.types.js';
export type { BuildTreeOptions, ExtraNodeType } from './tree/extra-node-type.js';
export { changeFault, faultOf, faultsOf } from './tree/node-faults.js';
export { changeMarket, marketOf, marketsOf } from './tree/node-market.js';
export { closeTree, openTree } from './tree/tree-lifecycle.js';
