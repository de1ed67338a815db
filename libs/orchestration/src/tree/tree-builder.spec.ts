import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RouterNode } from '../router.node.js';
import { fakeCatalog } from '../../test-support/fake-catalog.js';
import { cardRequest, testContext } from '../../test-support/fake-leaf.js';
import { loadTreeFile } from './load-tree-file.js';
import { buildTree } from './tree-builder.js';
import { TreeConfigError } from './tree-config.error.js';

const DEFAULT_TREE = fileURLToPath(new URL('../../../../config/tree.yaml', import.meta.url));

const leaf = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'fake', ...extra });
const router = (id: string, strategy: string, children: unknown[], extra: Record<string, unknown> = {}) => ({ id, type: 'router', strategy, children, ...extra });
const tree = (root: unknown) => ({ root });

function problemsOf(config: unknown): string[] {
  try {
    buildTree(config, fakeCatalog);
  } catch (error) {
    expect(error).toBeInstanceOf(TreeConfigError);
    expect((error as Error).name).toBe('TreeConfigError');
    return [...(error as TreeConfigError).problems];
  }
  throw new Error('expected a TreeConfigError');
}

// The default tree names the real adapter type; fake leaves stand in for it under that name.
const defaultTreeCatalog = fakeCatalog.map((type) => ({ ...type, type: 'simulator' }));

describe('default tree (config/tree.yaml)', () => {
  it('builds with nodes and paths', () => {
    const built = buildTree(loadTreeFile(DEFAULT_TREE), defaultTreeCatalog);
    expect([...built.nodes.keys()].sort()).toEqual(['eu', 'global', 'root', 'sim-alpha', 'sim-beta', 'sim-delta', 'sim-gamma', 'us']);
    expect(built.paths.get('sim-alpha')).toEqual(['root', 'eu', 'sim-alpha']);
    expect(built.paths.get('root')).toEqual(['root']);
    expect(built.root).toBe(built.nodes.get('root'));
    expect(built.root.describe()).toMatchObject({
      strategy: 'rules',
      children: [
        { id: 'eu', strategy: 'weighted', children: [{ id: 'sim-alpha' }, { id: 'sim-beta' }] },
        { id: 'us', strategy: 'priority', children: [{ id: 'sim-gamma' }, { id: 'sim-delta' }] },
        { id: 'global', kind: 'adapter' },
      ],
    });
  });

  it('routes by the configured rules', async () => {
    const built = buildTree(loadTreeFile(DEFAULT_TREE), defaultTreeCatalog);
    expect((await built.root.authorize(cardRequest({ currency: 'USD' }), testContext())).path).toEqual(['root', 'us', 'sim-gamma']);
    expect((await built.root.authorize(cardRequest({ currency: 'JPY' }), testContext())).path).toEqual(['root', 'global']);
    expect((await built.root.authorize(cardRequest({ currency: 'GBP' }), testContext())).path.slice(0, 2)).toEqual(['root', 'eu']);
  });

  it('passes router budgets through', () => {
    const built = buildTree(tree(router('r', 'priority', [leaf('a')], { timeout_ms: 250, status_timeout_ms: 50 })), fakeCatalog);
    expect(built.root).toBeInstanceOf(RouterNode);
    expect(built.root).toMatchObject({ timeoutMs: 250, statusTimeoutMs: 50 });
  });

  it('builds a success-rate router with its settings, cold-start weights and cascade', async () => {
    const config = tree(
      router('r', 'success-rate', [leaf('a', { weight: 3 }), leaf('b')], {
        success_rate: { window_size: 50, min_samples: 5, segment_by: ['brand'], seed: 9 },
        cascade: { max_attempts: 2, codes: { do_not_honor: 'cascade' } },
      }),
    );
    const built = buildTree(config, fakeCatalog).root as RouterNode;
    expect(built.describe().strategy).toBe('success-rate');
    expect(built.cascade).toMatchObject({ maxAttempts: 2, minBudgetMs: 200 });
    expect(built.cascade.ruleOf('do_not_honor')).toBe('cascade');
    const outcome = await built.authorize(cardRequest(), testContext());
    expect(outcome.attempts[0]!.reason).toMatch(/^success-rate \[visa\] cold start \(a 0\/5, b 0\/5 outcomes\), weighted 3\/1 → [ab]$/);
  });

  it('accepts a single leaf as the whole tree', () => {
    expect(buildTree(tree(leaf('only')), fakeCatalog).nodes.size).toBe(1);
  });
});

describe('tree config validation names the node and the field', () => {
  it.each<[string, unknown, string]>([
    ['bad strategy', tree(router('root', 'priority', [router('eu', 'random', [leaf('a')])])), 'tree config: node "eu" (root/eu): strategy must be one of rules, weighted, priority, lowest-cost, success-rate (got "random")'],
    ['missing strategy', tree(router('root', undefined as never, [leaf('a')])), 'tree config: node "root" (root): strategy is required (one of rules, weighted, priority, lowest-cost, success-rate)'],
    ['rules on lowest-cost', tree(router('root', 'lowest-cost', [leaf('a')], { rules: [] })), 'tree config: node "root" (root): rules is only used by the rules strategy (strategy is lowest-cost)'],
    ['duplicate id', tree(router('root', 'priority', [router('eu', 'priority', [leaf('a')]), leaf('a')])), 'tree config: node "a" (root/a): id "a" is already used by root/eu/a; ids are unique across the tree'],
    ['bad id', tree(router('root', 'priority', [leaf('Sim_A')])), 'tree config: node at root/children[0]: id must match [a-z0-9][a-z0-9_-]* (got "Sim_A")'],
    ['missing id', tree(router('root', 'priority', [{ type: 'fake' }])), 'tree config: node at root/children[0]: id is required'],
    ['unknown type', tree(router('root', 'priority', [leaf('a', { type: 'stripe' })])), 'tree config: node "a" (root/a): type "stripe" is unknown (known types: router, fake)'],
    ['missing type', tree(router('root', 'priority', [{ id: 'a' }])), 'tree config: node "a" (root/a): type is required (known types: router, fake)'],
    ['remote', tree(router('root', 'priority', [leaf('far', { type: 'remote' })])), 'tree config: node "far" (root/far): type remote is not available in this process (its composition root registered no remote node type)'],
    ['rule to unknown child', tree(router('root', 'rules', [leaf('a')], { rules: [{ when: { currency: ['EUR'] }, to: 'b' }] })), 'tree config: node "root" (root): rules[0].to "b" is not a child (children: a)'],
    ['default unknown child', tree(router('root', 'rules', [leaf('a')], { default: 'zz' })), 'tree config: node "root" (root): default "zz" is not a child (children: a)'],
    ['bad rule condition', tree(router('root', 'rules', [leaf('a')], { rules: [{ when: { currency: ['EURO'] }, to: 'a' }] })), 'tree config: node "root" (root): rules[0].when.currency must be a non-empty list of ISO 4217 currency codes (got ["EURO"])'],
    ['unknown rule condition', tree(router('root', 'rules', [leaf('a')], { rules: [{ when: { amount: 5 }, to: 'a' }] })), 'tree config: node "root" (root): rules[0].when.amount is not a known field (allowed: currency, country, method, brand, min_amount, max_amount, merchant, initiator)'],
    ['bad initiator', tree(router('root', 'rules', [leaf('a')], { rules: [{ when: { initiator: ['robot'] }, to: 'a' }] })), 'tree config: node "root" (root): rules[0].when.initiator must be a non-empty list of initiators (customer, merchant) (got ["robot"])'],
    ['empty initiator list', tree(router('root', 'priority', [router('inner', 'rules', [leaf('a')], { rules: [{ when: { initiator: [] }, to: 'a' }] })])), 'tree config: node "inner" (root/inner): rules[0].when.initiator must be a non-empty list of initiators (customer, merchant) (got [])'],
    ['min above max', tree(router('root', 'rules', [leaf('a')], { rules: [{ when: { min_amount: 9, max_amount: 1 }, to: 'a' }] })), 'tree config: node "root" (root): rules[0].when.min_amount must not exceed rules[0].when.max_amount'],
    ['rules without rules', tree(router('root', 'rules', [leaf('a')])), 'tree config: node "root" (root): a rules router needs rules or a default'],
    ['rules on another strategy', tree(router('root', 'priority', [leaf('a')], { default: 'a' })), 'tree config: node "root" (root): default is only used by the rules strategy (strategy is priority)'],
    ['missing weight', tree(router('root', 'weighted', [leaf('a', { weight: 1 }), leaf('b')])), 'tree config: node "b" (root/b): weight is required under weighted router "root"'],
    ['zero weight', tree(router('root', 'weighted', [leaf('a', { weight: 0 })])), 'tree config: node "a" (root/a): weight must be a positive integer (got 0)'],
    ['fractional weight', tree(router('root', 'weighted', [leaf('a', { weight: 2.5 })])), 'tree config: node "a" (root/a): weight must be a positive integer (got 2.5)'],
    ['weight elsewhere', tree(router('root', 'priority', [leaf('a', { weight: 3 })])), 'tree config: node "a" (root/a): weight is only used under a weighted or success-rate router (router "root" uses priority)'],
    ['adapter options', tree(router('root', 'priority', [router('eu', 'priority', [leaf('sim-alpha', { options: { fee_bps: -1 } })])])), 'tree config: node "sim-alpha" (root/eu/sim-alpha): options.fee_bps must be a non-negative integer'],
    ['options not a mapping', tree(router('root', 'priority', [leaf('a', { options: [1] })])), 'tree config: node "a" (root/a): options must be a mapping'],
    ['unknown field', tree(router('root', 'priority', [leaf('a', { strategy: 'rules' })])), 'tree config: node "a" (root/a): strategy is not a known field (allowed: id, type, options, weight)'],
    ['empty children', tree(router('root', 'priority', [])), 'tree config: node "root" (root): children must be a non-empty list of nodes'],
    ['bad timeout', tree(router('root', 'priority', [leaf('a')], { timeout_ms: 0 })), 'tree config: node "root" (root): timeout_ms must be a positive integer (got 0)'],
    ['node not a mapping', tree(router('root', 'priority', ['a'])), 'tree config: node at root/children[0]: must be a mapping with at least id and type'],
    ['success_rate elsewhere', tree(router('root', 'priority', [leaf('a')], { success_rate: {} })), 'tree config: node "root" (root): success_rate is only used by the success-rate strategy (strategy is priority)'],
    ['bad success_rate field', tree(router('root', 'success-rate', [leaf('a')], { success_rate: { window: 5 } })), 'tree config: node "root" (root): success_rate.window is not a known field (allowed: window_size, window_ms, segment_by, amount_bands, floor, min_samples, exploration, seed)'],
    ['bad floor', tree(router('root', 'success-rate', [leaf('a')], { success_rate: { floor: 1.5 } })), 'tree config: node "root" (root): success_rate.floor must be a number from 0 up to (not including) 1 (got 1.5)'],
    ['bad exploration', tree(router('root', 'success-rate', [leaf('a')], { success_rate: { exploration: 0 } })), 'tree config: node "root" (root): success_rate.exploration must be a number above 0 and at most 1 (got 0)'],
    ['floor of 1', tree(router('root', 'success-rate', [leaf('a')], { success_rate: { floor: 1 } })), 'tree config: node "root" (root): success_rate.floor must be a number from 0 up to (not including) 1 (got 1)'],
    ['cold start for ever', tree(router('root', 'success-rate', [leaf('a')], { success_rate: { window_size: 10 } })), 'tree config: node "root" (root): success_rate.min_samples (20) must not exceed window_size (10): a window never holds more, so the cold start would never end'],
    ['cascading a stolen card', tree(router('root', 'priority', [leaf('a')], { cascade: { codes: { stolen_card: 'cascade' } } })), 'tree config: node "root" (root): cascade.codes.stolen_card cannot be changed: stolen_card is never cascaded (the card holder\'s bank decided)'],
    ['cascade budget above the timeout', tree(router('root', 'priority', [leaf('a')], { timeout_ms: 100, cascade: { min_budget_ms: 150 } })), 'tree config: node "root" (root): cascade.min_budget_ms (150) must not exceed timeout_ms (100): no attempt ever gets more'],
    ['bad segment', tree(router('root', 'success-rate', [leaf('a')], { success_rate: { segment_by: ['bin'] } })), 'tree config: node "root" (root): success_rate.segment_by must be a list of distinct dimensions among brand, currency, country, amount_band, initiator (got ["bin"])'],
    ['bands not ascending', tree(router('root', 'success-rate', [leaf('a')], { success_rate: { amount_bands: [500, 100] } })), 'tree config: node "root" (root): success_rate.amount_bands must be a non-empty list of ascending positive integers, upper bounds in minor units (got [500,100])'],
    ['bad cascade code', tree(router('root', 'priority', [leaf('a')], { cascade: { codes: { nope: 'cascade' } } })), 'tree config: node "root" (root): cascade.codes.nope is not a unified code'],
    ['bad cascade rule', tree(router('root', 'priority', [leaf('a')], { cascade: { codes: { do_not_honor: 'always' } } })), 'tree config: node "root" (root): cascade.codes.do_not_honor must be one of cascade, opt_in, never (got "always")'],
    ['bad cascade limit', tree(router('root', 'priority', [leaf('a')], { cascade: { max_attempts: -1 } })), 'tree config: node "root" (root): cascade.max_attempts must be a non-negative integer (got -1)'],
    ['zero weight under success-rate', tree(router('root', 'success-rate', [leaf('a', { weight: 0 })])), 'tree config: node "a" (root/a): weight must be a positive integer (got 0)'],
    ['missing root', { tree: {} }, 'tree config: top level: root is required'],
  ])('%s', (_name, config, problem) => {
    expect(problemsOf(config)).toContain(problem);
  });

  it('rejects a config that is not a mapping', () => {
    expect(problemsOf('root: x')).toEqual(['tree config: expected a mapping with a root node']);
    expect(problemsOf(null)).toEqual(['tree config: expected a mapping with a root node']);
  });

  it('collects every problem into one error, one line each', () => {
    const config = tree(router('root', 'rules', [router('eu', 'nope', [leaf('x', { weight: 1 })]), leaf('Bad'), leaf('y', { type: 'paypal' })], { default: 'missing' }));
    const problems = problemsOf(config);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/node "eu".*strategy must be one of/);
    expect(problems.join('\n')).toMatch(/node at root\/children\[1\]: id must match/);
    expect(problems.join('\n')).toMatch(/node "y".*type "paypal" is unknown/);
    expect(problems.join('\n')).toMatch(/node "root".*default "missing"/);
    try {
      buildTree(config, fakeCatalog);
    } catch (error) {
      expect((error as Error).message).toBe(problems.join('\n'));
    }
  });

  it('refuses a catalog that shadows router or lists a type twice', () => {
    expect(() => buildTree(tree(leaf('a')), [...fakeCatalog, ...fakeCatalog])).toThrow(/listed twice/);
    expect(() => buildTree(tree(leaf('a')), [{ ...fakeCatalog[0]!, type: 'router' }])).toThrow(/reserved/);
  });
});

describe('loadTreeFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-tree-'));

  it('parses YAML', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'root: {id: a, type: fake}\n');
    expect(loadTreeFile(file)).toEqual({ root: { id: 'a', type: 'fake' } });
  });

  it('names a missing or malformed file', () => {
    expect(() => loadTreeFile(join(dir, 'missing.yaml'))).toThrow(/tree config: cannot read .*missing\.yaml/);
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'root: {id: a\n');
    expect(() => loadTreeFile(file)).toThrow(TreeConfigError);
    expect(() => loadTreeFile(file)).toThrow(/bad\.yaml is not valid YAML/);
  });
});
