import type { AdapterType, NodeOptions } from '#gateway-spi';
import { STRATEGY_NAMES, type AvailableStrategyName, type StrategyName } from '../strategies/strategy.js';
import { checkKeys, isMapping, positiveInteger, type Report } from './config-fields.js';
import { validateBreaker } from './breaker-config.validate.js';
import { DEFAULT_TIMEOUT_MS } from '../router.node.js';
import { validateCascade } from './cascade-config.validate.js';
import { validateSuccessRate } from './success-rate-config.validate.js';
import { validateRules } from './rule-config.validate.js';
import { TreeConfigError } from './tree-config.error.js';
import type { ExtraNodeType } from './extra-node-type.js';
import type { AdapterNodeConfig, ExtraNodeConfig, NodeConfig, RouterNodeConfig, TreeConfig } from './tree-config.types.js';

const ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
const ROUTER_FIELDS = ['id', 'type', 'strategy', 'rules', 'default', 'children', 'timeout_ms', 'status_timeout_ms', 'quote_timeout_ms', 'breaker', 'cascade', 'success_rate', 'weight'];
const ADAPTER_FIELDS = ['id', 'type', 'options', 'weight'];

interface Parent {
  id: string;
  strategy: StrategyName | undefined;
}

/** One walk over the raw config, collecting every problem with the node and field it concerns. */
class TreeValidator {
  readonly problems: string[] = [];
  private readonly pathsById = new Map<string, string>();
  private readonly knownTypes: string;

  constructor(
    private readonly catalog: readonly AdapterType[],
    private readonly nodeTypes: readonly ExtraNodeType[] = [],
  ) {
    this.knownTypes = ['router', ...nodeTypes.map((extra) => extra.type), ...catalog.map((adapter) => adapter.type)].join(', ');
  }

  node(raw: unknown, parentPath: string[], fallbackSegment: string, parent: Parent | null): NodeConfig | null {
    const rawId = isMapping(raw) ? raw.id : undefined;
    const id = typeof rawId === 'string' && ID_PATTERN.test(rawId) ? rawId : undefined;
    const path = [...parentPath, id ?? fallbackSegment];
    const where = path.join('/');
    const report: Report = (problem) =>
      this.problems.push(`tree config: ${id ? `node "${id}" (${where})` : `node at ${where}`}: ${problem}`);
    if (!isMapping(raw)) {
      report('must be a mapping with at least id and type');
      return null;
    }
    if (rawId === undefined) report('id is required');
    else if (!id) report(`id must match [a-z0-9][a-z0-9_-]* (got ${JSON.stringify(rawId)})`);
    else if (this.pathsById.has(id)) report(`id "${id}" is already used by ${this.pathsById.get(id)}; ids are unique across the tree`);
    else this.pathsById.set(id, where);
    const weight = this.weight(raw.weight, parent, report);
    const type = raw.type;
    if (typeof type !== 'string') {
      report(`type is required (known types: ${this.knownTypes})`);
      return null;
    }
    if (type === 'router') return this.router(raw, path, id, weight, report);
    const extra = this.nodeTypes.find((candidate) => candidate.type === type);
    if (extra) return this.extra(raw, extra, id, weight, report);
    if (type === 'remote') {
      report('type remote is not available in this process (its composition root registered no remote node type)');
      return null;
    }
    const adapter = this.catalog.find((candidate) => candidate.type === type);
    if (!adapter) {
      report(`type "${type}" is unknown (known types: ${this.knownTypes})`);
      return null;
    }
    return this.adapter(raw, adapter, id, weight, report);
  }

  private weight(raw: unknown, parent: Parent | null, report: Report): number | undefined {
    if (parent?.strategy === 'weighted') {
      if (raw === undefined) report(`weight is required under weighted router "${parent.id}"`);
      return positiveInteger(raw, 'weight', report);
    }
    if (parent?.strategy === 'success-rate') return positiveInteger(raw, 'weight', report);
    if (raw !== undefined && (parent === null || parent.strategy !== undefined)) {
      const why = parent ? `router "${parent.id}" uses ${parent.strategy}` : 'this is the root';
      report(`weight is only used under a weighted or success-rate router (${why})`);
    }
    return undefined;
  }

  private strategy(raw: unknown, report: Report): StrategyName | undefined {
    if (raw === undefined) {
      report(`strategy is required (one of ${STRATEGY_NAMES.join(', ')})`);
      return undefined;
    }
    if (typeof raw !== 'string' || !(STRATEGY_NAMES as readonly string[]).includes(raw)) {
      report(`strategy must be one of ${STRATEGY_NAMES.join(', ')} (got ${JSON.stringify(raw)})`);
      return undefined;
    }
    return raw as StrategyName;
  }

  private router(raw: Record<string, unknown>, path: string[], id: string | undefined, weight: number | undefined, report: Report): RouterNodeConfig | null {
    checkKeys(raw, ROUTER_FIELDS, '', report);
    const strategy = this.strategy(raw.strategy, report);
    const timeoutMs = positiveInteger(raw.timeout_ms, 'timeout_ms', report);
    const statusTimeoutMs = positiveInteger(raw.status_timeout_ms, 'status_timeout_ms', report);
    const quoteTimeoutMs = positiveInteger(raw.quote_timeout_ms, 'quote_timeout_ms', report);
    const breaker = validateBreaker(raw.breaker, report);
    const cascade = validateCascade(raw.cascade, report);
    // A child's budget never exceeds timeout_ms, so a larger minimum would switch cascading off.
    const childBudget = timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (cascade?.minBudgetMs !== undefined && cascade.minBudgetMs > childBudget) report(`cascade.min_budget_ms (${cascade.minBudgetMs}) must not exceed timeout_ms (${childBudget}): no attempt ever gets more`);
    if (raw.success_rate !== undefined && strategy && strategy !== 'success-rate') report(`success_rate is only used by the success-rate strategy (strategy is ${strategy})`);
    const successRate = strategy === 'success-rate' ? validateSuccessRate(raw.success_rate, report) : undefined;
    const rawChildren = Array.isArray(raw.children) ? raw.children : [];
    if (rawChildren.length === 0) report('children must be a non-empty list of nodes');
    const parent: Parent = { id: id ?? path.join('/'), strategy };
    const children = rawChildren.map((child, index) => this.node(child, path, `children[${index}]`, parent));
    const childIds = rawChildren.flatMap((child) => (isMapping(child) && typeof child.id === 'string' ? [child.id] : []));
    const { rules, fallback } = this.routing(raw, strategy, childIds, report);
    if (!id || !strategy || children.some((child) => child === null)) return null;
    return {
      kind: 'router',
      id,
      strategy: strategy satisfies AvailableStrategyName,
      rules,
      ...(fallback !== undefined && { default: fallback }),
      ...(timeoutMs !== undefined && { timeoutMs }),
      ...(statusTimeoutMs !== undefined && { statusTimeoutMs }),
      ...(quoteTimeoutMs !== undefined && { quoteTimeoutMs }),
      ...(breaker !== undefined && { breaker }),
      ...(cascade !== undefined && { cascade }),
      ...(successRate !== undefined && { successRate }),
      ...(weight !== undefined && { weight }),
      children: children as NodeConfig[],
    };
  }

  /** `rules` and `default`: required by (and only used by) the rules strategy. */
  private routing(raw: Record<string, unknown>, strategy: StrategyName | undefined, childIds: string[], report: Report) {
    if (strategy !== 'rules') {
      for (const field of ['rules', 'default']) {
        if (strategy && raw[field] !== undefined) report(`${field} is only used by the rules strategy (strategy is ${strategy})`);
      }
      return { rules: [], fallback: undefined };
    }
    const rules = validateRules(raw.rules, childIds, report);
    const fallback = raw.default;
    if (fallback !== undefined && (typeof fallback !== 'string' || !childIds.includes(fallback))) {
      report(`default ${JSON.stringify(fallback)} is not a child (children: ${childIds.join(', ')})`);
    }
    if (rules.length === 0 && fallback === undefined) report('a rules router needs rules or a default');
    return { rules, fallback: typeof fallback === 'string' ? fallback : undefined };
  }

  private adapter(raw: Record<string, unknown>, adapter: AdapterType, id: string | undefined, weight: number | undefined, report: Report): AdapterNodeConfig | null {
    checkKeys(raw, ADAPTER_FIELDS, '', report);
    const options = raw.options ?? {};
    if (!isMapping(options)) {
      report('options must be a mapping');
      return null;
    }
    let problems: string[];
    try {
      problems = adapter.validateOptions(options);
    } catch (error) {
      problems = [`options could not be validated: ${error instanceof Error ? error.message : String(error)}`];
    }
    problems.forEach(report);
    if (!id || problems.length > 0) return null;
    return { kind: 'adapter', id, type: adapter.type, options: options as NodeOptions, ...(weight !== undefined && { weight }) };
  }

  private extra(raw: Record<string, unknown>, extra: ExtraNodeType, id: string | undefined, weight: number | undefined, report: Report): ExtraNodeConfig | null {
    checkKeys(raw, ['id', 'type', 'weight', ...extra.fields], '', report);
    const config = Object.fromEntries(Object.entries(raw).filter(([key]) => extra.fields.includes(key)));
    let problems: string[];
    try {
      problems = extra.validate(config);
    } catch (error) {
      problems = [`config could not be validated: ${error instanceof Error ? error.message : String(error)}`];
    }
    problems.forEach(report);
    if (!id || problems.length > 0) return null;
    return { kind: 'extra', id, type: extra.type, config, ...(weight !== undefined && { weight }) };
  }
}

/** Validates a raw (parsed YAML) tree config; throws one `TreeConfigError` listing every problem. */
export function validateTreeConfig(config: unknown, catalog: readonly AdapterType[], nodeTypes: readonly ExtraNodeType[] = []): TreeConfig {
  if (!isMapping(config)) throw new TreeConfigError(['tree config: expected a mapping with a root node']);
  const validator = new TreeValidator(catalog, nodeTypes);
  checkKeys(config, ['root'], '', (problem) => validator.problems.push(`tree config: top level: ${problem}`));
  const root = config.root === undefined ? null : validator.node(config.root, [], 'root', null);
  if (config.root === undefined) validator.problems.push('tree config: top level: root is required');
  if (validator.problems.length > 0 || !root) throw new TreeConfigError(validator.problems);
  return { root };
}
