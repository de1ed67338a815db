import { isDeepStrictEqual } from 'node:util';
import { show, type Findings } from '../harness/findings.js';
import type { ContractCheck } from './contract-check.js';

const KINDS = ['adapter', 'router', 'remote'];

export const describeCheck: ContractCheck = {
  id: 'describe',
  title: 'describes itself: id, kind, type, capabilities, and children for a router',
  async run(h) {
    const f: Findings = h.findings;
    const d = h.describe();
    f.expect(d.id === h.node.id, `describe().id is ${show(d.id)} but the node's id is ${show(h.node.id)}`);
    f.expect(KINDS.includes(d.kind), `describe().kind ${show(d.kind)} is not one of ${KINDS.join(', ')}`);
    f.expect(typeof d.type === 'string' && d.type.length > 0, `describe().type ${show(d.type)} is not a non-empty string`);
    const { kind, type } = h.expectations;
    if (kind) f.expect(d.kind === kind, `describe().kind is ${show(d.kind)}, expected ${show(kind)}`);
    if (type) f.expect(d.type === type, `describe().type is ${show(d.type)}, expected ${show(type)}`);
    if (d.kind === 'router') {
      f.expect(d.type === 'router', `a router's type must be "router", got ${show(d.type)}`);
      f.expect(typeof d.strategy === 'string' && d.strategy.length > 0, "a router's describe() names no strategy");
      f.expect(Array.isArray(d.children) && d.children.length > 0, "a router's describe() lists no children");
      const ids = (h.node.children?.() ?? []).map((child) => child.id);
      f.expect(isDeepStrictEqual(ids, (d.children ?? []).map((child) => child.id)), `describe().children ${show(d.children?.map((c) => c.id))} differ from children() ${show(ids)}`);
    }
    if (d.kind === 'adapter') f.expect(!d.children || d.children.length === 0, 'a leaf describes children');

    const c = d.capabilities;
    f.require(typeof c === 'object' && c !== null, 'describe() has no capabilities');
    const currencies: unknown[] = Array.isArray(c.currencies) ? c.currencies : [];
    f.expect(currencies.length > 0 && currencies.every((x) => typeof x === 'string' && /^[A-Z]{3}$/.test(x)), `capabilities.currencies ${show(c.currencies)} must be a non-empty list of upper-case ISO 4217 codes`);
    f.expect(currencies.includes(h.fixture.currency), `capabilities.currencies ${show(c.currencies)} lacks the fixture's currency ${h.fixture.currency}`);
    f.expect(!currencies.includes(h.fixture.foreignCurrency), `capabilities.currencies includes ${h.fixture.foreignCurrency}, the fixture's foreign currency`);
    f.expect(Array.isArray(c.paymentMethods) && c.paymentMethods.includes('card'), `capabilities.paymentMethods ${show(c.paymentMethods)} must include "card"`);
    f.expect(
      c.countries === null || (Array.isArray(c.countries) && c.countries.length > 0 && c.countries.every((x) => /^[A-Z]{2}$/.test(x))),
      `capabilities.countries ${show(c.countries)} must be null (any) or a non-empty list of upper-case ISO 3166-1 codes`,
    );
    f.expect(typeof c.partialCapture === 'boolean' && typeof c.multipleRefunds === 'boolean', 'capabilities.partialCapture and multipleRefunds must be booleans');
    if (!h.supports('capture')) f.expect(c.partialCapture === false, 'capture is declared unsupported, yet capabilities.partialCapture is true');
    if (!h.supports('refund')) f.expect(c.multipleRefunds === false, 'refund is declared unsupported, yet capabilities.multipleRefunds is true');
    f.expect(isDeepStrictEqual(h.describe(), d), 'describe() answers differently when called twice');
  },
};
