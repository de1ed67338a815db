import { describe, expect, it } from 'vitest';
import { RouterNode } from '../router.node.js';
import { fakeCatalog } from '../../test-support/fake-catalog.js';
import { buildTree } from './tree-builder.js';
import { TreeConfigError } from './tree-config.error.js';

const leaf = (id: string) => ({ id, type: 'fake' });
const router = (extra: Record<string, unknown>) => ({ root: { id: 'root', type: 'router', strategy: 'priority', children: [leaf('a')], ...extra } });

function problemsOf(config: unknown): string[] {
  try {
    buildTree(config, fakeCatalog);
  } catch (error) {
    expect(error).toBeInstanceOf(TreeConfigError);
    return [...(error as TreeConfigError).problems];
  }
  throw new Error('expected a TreeConfigError');
}

describe('router breaker, quote budget and lowest-cost in the tree config', () => {
  it('builds a lowest-cost router with its breaker settings and quote budget', () => {
    const built = buildTree(router({ strategy: 'lowest-cost', quote_timeout_ms: 80, breaker: { failure_threshold: 2, half_open_after_ms: 250 } }), fakeCatalog);
    expect(built.root).toBeInstanceOf(RouterNode);
    expect(built.root.describe().strategy).toBe('lowest-cost');
    expect(built.root).toMatchObject({ quoteTimeoutMs: 80, breakerSettings: { failureThreshold: 2, halfOpenAfterMs: 250 } });
    expect(built.root.childBreakers?.()).toMatchObject({ a: { state: 'closed', failureThreshold: 2, halfOpenAfterMs: 250 } });
  });

  it('fills what is not given with the defaults', () => {
    const built = buildTree(router({ timeout_ms: 400, breaker: { failure_threshold: 3 } }), fakeCatalog);
    expect(built.root).toMatchObject({ quoteTimeoutMs: 400, breakerSettings: { failureThreshold: 3, halfOpenAfterMs: 30_000 } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['zero threshold', { breaker: { failure_threshold: 0 } }, 'breaker.failure_threshold must be a positive integer (got 0)'],
    ['fractional delay', { breaker: { half_open_after_ms: 1.5 } }, 'breaker.half_open_after_ms must be a positive integer (got 1.5)'],
    ['unknown field', { breaker: { threshold: 3 } }, 'breaker.threshold is not a known field (allowed: failure_threshold, half_open_after_ms)'],
    ['not a mapping', { breaker: 5 }, 'breaker must be a mapping (fields: failure_threshold, half_open_after_ms)'],
    ['bad quote budget', { quote_timeout_ms: -1 }, 'quote_timeout_ms must be a positive integer (got -1)'],
  ])('names the node and field: %s', (_name, extra, problem) => {
    expect(problemsOf(router(extra))).toEqual([`tree config: node "root" (root): ${problem}`]);
  });
});
