import type { FaultSpec, GatewayNode, SubtreeOps } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { fakeCatalog } from '../../test-support/fake-catalog.js';
import { FakeLeaf } from '../../test-support/fake-leaf.js';
import type { ExtraNodeType } from './extra-node-type.js';
import { changeFault, faultOf, faultsOf } from './node-faults.js';
import { buildTree } from './tree-builder.js';
import type { TreeConfigError } from './tree-config.error.js';
import { closeTree, openTree } from './tree-lifecycle.js';

/** An extra node type standing in for `remote`: a leaf with a `target` field and open/close. */
function portalType(events: string[] = []): ExtraNodeType {
  return {
    type: 'portal',
    description: 'test portal',
    fields: ['target'],
    validate: (config) => (typeof config.target === 'string' ? [] : [`target must be a string (got ${JSON.stringify(config.target)})`]),
    create: (id, config) =>
      Object.assign(new FakeLeaf(id), {
        target: config.target,
        open: async () => void events.push(`open ${id}`),
        close: async () => void events.push(`close ${id}`),
      }),
  };
}

const tree = (portal: Record<string, unknown>) => ({ root: { id: 'root', type: 'router', strategy: 'priority', children: [{ id: 'a', type: 'fake' }, { id: 'p', type: 'portal', ...portal }] } });

describe('extra node types (buildTree options.nodeTypes)', () => {
  it('builds nodes of a registered type from their config fields, and opens and closes them', async () => {
    const events: string[] = [];
    const built = buildTree(tree({ target: 'far' }), fakeCatalog, { nodeTypes: [portalType(events)] });
    expect(built.nodes.get('p')).toMatchObject({ id: 'p', target: 'far' });
    expect(built.paths.get('p')).toEqual(['root', 'p']);
    await openTree(built);
    await closeTree(built);
    expect(events).toEqual(['open p', 'close p']);
  });

  it('validates them: the type\'s problems and unknown fields name the node', () => {
    const problems = (config: unknown) => {
      try {
        buildTree(config, fakeCatalog, { nodeTypes: [portalType()] });
        return [];
      } catch (error) {
        return [...(error as TreeConfigError).problems];
      }
    };
    expect(problems(tree({ target: 5 }))).toEqual(['tree config: node "p" (root/p): target must be a string (got 5)']);
    expect(problems(tree({ target: 'x', options: {} }))).toEqual(['tree config: node "p" (root/p): options is not a known field (allowed: id, type, weight, target)']);
    expect(problems(tree({ target: 'x', type: 'nope' }))[0]).toContain('known types: router, portal, fake');
  });

  it('refuses a type that shadows a router or an adapter type', () => {
    expect(() => buildTree(tree({ target: 'x' }), fakeCatalog, { nodeTypes: [{ ...portalType(), type: 'fake' }] })).toThrow(/already a router, an adapter type/);
    expect(() => buildTree(tree({ target: 'x' }), fakeCatalog, { nodeTypes: [portalType(), portalType()] })).toThrow(/listed twice/);
  });
});

describe('faults addressed by node id (node-faults)', () => {
  /** A node fronting a subtree that lives elsewhere, holding leaf `x`. */
  function fronting(): GatewayNode & { subtreeOps: SubtreeOps } {
    let fault: FaultSpec | null = null;
    return Object.assign(new FakeLeaf('front'), {
      subtreeOps: {
        has: (id: string) => id === 'x',
        faults: () => ({ x: fault }),
        setFault: async (_id: string, spec: FaultSpec) => ({ ok: true as const, fault: (fault = spec) }),
        clearFault: async () => ({ ok: true as const, fault: (fault = null) }),
      },
    });
  }

  it('reaches leaves of this process, and leaves behind a node that fronts a subtree', async () => {
    let current: FaultSpec | null = null;
    const faults = {
      setFault: (fault: FaultSpec) => {
        if (fault.rate === 7) throw new RangeError('bad rate');
        current = fault;
      },
      clearFault: () => void (current = null),
      currentFault: () => current,
    };
    const leaf = Object.assign(new FakeLeaf('leaf'), { faults });
    const front = fronting();
    const router = new FakeLeaf('router');
    const nodes = new Map<string, GatewayNode>([['leaf', leaf], ['front', front], ['router', router]]);
    expect(await changeFault({ nodes }, 'leaf', { mode: 'down' })).toEqual({ ok: true, fault: { mode: 'down' } });
    expect(await changeFault({ nodes }, 'leaf', { mode: 'down', rate: 7 })).toEqual({ ok: false, reason: 'invalid', message: 'bad rate' });
    expect(await changeFault({ nodes }, 'x', { mode: 'slow', latencyMs: 5 })).toEqual({ ok: true, fault: { mode: 'slow', latencyMs: 5 } });
    expect(faultOf({ nodes }, 'x')).toEqual({ mode: 'slow', latencyMs: 5 });
    expect(faultOf({ nodes }, 'router')).toBeUndefined();
    expect(faultsOf({ nodes })).toEqual({ leaf: { mode: 'down' }, x: { mode: 'slow', latencyMs: 5 } });
    expect(await changeFault({ nodes }, 'x', null)).toEqual({ ok: true, fault: null });
    expect(await changeFault({ nodes }, 'router', { mode: 'down' })).toMatchObject({ ok: false, reason: 'not_supported' });
    expect(await changeFault({ nodes }, 'ghost', { mode: 'down' })).toMatchObject({ ok: false, reason: 'not_found' });
  });
});
