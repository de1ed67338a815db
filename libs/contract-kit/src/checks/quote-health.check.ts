import { detectBrand } from '#gateway-spi';
import type { ContractCheck } from './contract-check.js';

export const quoteCheck: ContractCheck = {
  id: 'quote',
  title: 'quotes a payment it can take (fee, path, reason) and declines one in a foreign currency',
  async run(h) {
    const brand = detectBrand(h.fixture.cards.approved[0]!);
    const quote = await h.quote(`quote ${h.amount} ${h.fixture.currency}`, { brand });
    if (h.findings.fields(`quote ${h.amount} ${h.fixture.currency}`, quote, { eligible: true })) h.checkPath(`quote ${h.amount} ${h.fixture.currency}`, quote.path);
    const foreign = await h.quote(`quote in ${h.fixture.foreignCurrency}`, { currency: h.fixture.foreignCurrency, brand });
    h.findings.fields(`quote in ${h.fixture.foreignCurrency}`, foreign, { eligible: false });
    h.findings.expect(foreign.path[0] === h.node.id, `quote in ${h.fixture.foreignCurrency}: path must start at ${h.node.id}, got ${foreign.path.join('/')}`);
  },
};

export const healthCheck: ContractCheck = {
  id: 'health',
  title: 'reports its health under its own id: up when nothing is wrong',
  async run(h) {
    const report = await h.health('health');
    h.findings.fields('health', report, { id: h.node.id, status: 'up' });
    const children = h.node.children?.() ?? [];
    if (children.length > 0) {
      h.findings.expect(
        (report.children ?? []).map((child) => child.id).join() === children.map((child) => child.id).join(),
        `health lists children ${report.children?.map((c) => c.id).join(', ') ?? 'none'}, the node has ${children.map((c) => c.id).join(', ')}`,
      );
    }
  },
};
