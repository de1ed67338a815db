import { simulatorAdapter } from '#adapters/simulator';
import type { AdapterType } from '#gateway-spi';
import type { NodeContractSubject } from '#contract-kit';
import { buildTree } from '#orchestration';
import { leafType, type LeafType } from './leaf-type.js';

type Strategy = 'rules' | 'weighted' | 'priority' | 'lowest-cost' | 'success-rate';

const STRATEGIES: readonly Strategy[] = ['rules', 'weighted', 'priority', 'lowest-cost', 'success-rate'];
/** The strategy of the router nested under a router of the given one, so every strategy occurs inside and outside. */
const NESTED: Record<Strategy, Strategy> = { rules: 'weighted', weighted: 'priority', priority: 'lowest-cost', 'lowest-cost': 'success-rate', 'success-rate': 'rules' };

/** Short budgets so the lost-reply card settles in milliseconds; the outer router leaves room for the inner one. */
const LEAF_PARENT = { timeout_ms: 150, status_timeout_ms: 100 };
const OUTER = { timeout_ms: 400, status_timeout_ms: 150 };


/** A router config over two children, as the tree file would say it. */
function router(id: string, strategy: Strategy, children: Array<Record<string, unknown>>, budgets: object): Record<string, unknown> {
  const [first, second] = children as [Record<string, unknown>, Record<string, unknown>];
  const base = { id, type: 'router', strategy, ...budgets };
  switch (strategy) {
    case 'rules':
      // Merchant-initiated payments go to the other child: a card stored through one leaf is charged through another.
      return {
        ...base,
        rules: [
          { when: { initiator: ['merchant'] }, to: second.id },
          { when: { currency: ['EUR', 'GBP', 'USD'] }, to: first.id },
        ],
        default: second.id,
        children,
      };
    case 'weighted':
      return { ...base, children: [{ ...first, weight: 70 }, { ...second, weight: 30 }] };
    case 'priority':
    case 'lowest-cost':
      return { ...base, children };
    case 'success-rate':
      // Two outcomes per child end the cold start, so the checks run through both the weighted split
      // and the sampled ranking; soft declines cascade to the sibling.
      return { ...base, success_rate: { min_samples: 2, seed: 1 }, cascade: { max_attempts: 1 }, children: [{ ...first, weight: 2 }, second] };
  }
}

function routerConfig(strategy: Strategy, levels: 1 | 2, leaves: LeafType): unknown {
  const leaf = (id: string) => ({ id, type: leaves.type, options: leaves.options() });
  if (levels === 1) return { root: router(`${strategy}-router`, strategy, [leaf('sim-a'), leaf('sim-b')], LEAF_PARENT) };
  const inner = router(`${NESTED[strategy]}-inner`, NESTED[strategy], [leaf('sim-a'), leaf('sim-b')], LEAF_PARENT);
  return { root: router(`${strategy}-router`, strategy, [inner, leaf('sim-c')], OUTER) };
}

/**
 * Routers of each strategy over simulators, one and two levels deep, built as the tree file builds them.
 * They take what their leaves take (the leaves' declarations apply) and forward notifications to them.
 */
export function routerSubjects(catalog: readonly AdapterType[]): NodeContractSubject[] {
  return STRATEGIES.flatMap((strategy) =>
    ([1, 2] as const).map((levels): NodeContractSubject => {
      const leaves = leafType(simulatorAdapter);
      return {
        name: `router ${strategy}, ${levels} level${levels === 1 ? '' : 's'}`,
        setup: () => leaves.setup(),
        teardown: () => leaves.teardown(),
        create: () => buildTree(routerConfig(strategy, levels, leaves), catalog).root,
        notificationWriter: () => leaves.notificationWriter(),
        fixture: leaves.fixture,
        expectations: { kind: 'router', type: 'router', settlesUnknown: true, unsupported: leaves.unsupported },
      };
    }),
  );
}
