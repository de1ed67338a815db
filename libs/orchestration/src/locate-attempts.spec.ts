import type { GatewayNode, NodeDescriptor } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { locateAttempts } from './locate-attempts.js';
import { RouterNode } from './router.node.js';
import { PriorityStrategy } from './strategies/priority.strategy.js';
import { FakeLeaf, testContext } from '../test-support/fake-leaf.js';

const tree = (...leaves: FakeLeaf[]) =>
  new RouterNode({ id: 'root', strategy: new PriorityStrategy(), children: [new RouterNode({ id: 'eu', strategy: new PriorityStrategy(), children: leaves })] });

describe('locateAttempts', () => {
  it('finds the leaf holding an approved attempt, asking every leaf down its full path', async () => {
    const a = new FakeLeaf('a', { status: 'not_found' });
    const b = new FakeLeaf('b', { status: 'approved' });
    const search = await locateAttempts(tree(a, b), 'pay_x', testContext());
    expect(search).toMatchObject({ kind: 'found', attempts: [{ seq: 1, attemptId: 'att_x_1', path: ['root', 'eu', 'b'], status: { state: 'approved' } }] });
    expect(a.calledFor('status').map((call) => call.attemptId)).toEqual(['att_x_1']);
  });

  it('asks for every attempt a payment could have made when no leaf approved, and keeps what they know', async () => {
    const a = new FakeLeaf('a', { status: 'failed' });
    const b = new FakeLeaf('b', { status: 'not_found' });
    const search = await locateAttempts(tree(a, b), 'pay_x', testContext());
    expect(b.calledFor('status').map((call) => call.attemptId)).toEqual(['att_x_1', 'att_x_2']);
    expect(search).toMatchObject({ kind: 'found', attempts: [{ seq: 1, path: ['root', 'eu', 'a'] }, { seq: 2, path: ['root', 'eu', 'a'] }] });
  });

  it('finds nothing when no leaf ever saw the payment', async () => {
    const search = await locateAttempts(tree(new FakeLeaf('a'), new FakeLeaf('b')), 'pay_x', testContext());
    expect(search).toEqual({ kind: 'found', attempts: [] });
  });

  it('is unknown when a leaf cannot answer, or a remote subtree was never described', async () => {
    const silent = await locateAttempts(tree(new FakeLeaf('a', { status: 'unknown' }), new FakeLeaf('b')), 'pay_x', testContext(50));
    expect(silent).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('root/eu/a') });

    const remote: NodeDescriptor = { id: 'far', kind: 'remote', type: 'remote', capabilities: new FakeLeaf('x').describe().capabilities, children: [] };
    const root = { id: 'root', describe: () => ({ ...tree(new FakeLeaf('a')).describe(), children: [remote] }) } as unknown as GatewayNode;
    expect(await locateAttempts(root, 'pay_x', testContext())).toEqual({ kind: 'unknown', reason: 'remote subtree root/far was never described' });
  });
});
