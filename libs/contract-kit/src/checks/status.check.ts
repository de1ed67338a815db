import { approvedPayment } from './approved-payment.js';
import type { ContractCheck } from './contract-check.js';

export const statusCheck: ContractCheck = {
  id: 'status',
  title: 'status of an attempt never made is not_found; a wrong path never claims not_found',
  async run(h) {
    const f = h.findings;
    const { address } = await approvedPayment(h, false, 'for its path');
    const never = { ...address, attemptId: h.newId('att'), providerReference: null };
    f.fields('status of an attempt never made (same path)', await h.status('status of an attempt never made', never), {
      state: 'not_found',
      amountAuthorized: 0,
      amountCaptured: 0,
    });
    const wrongPath = { ...address, path: [`not-${h.node.id}`, ...address.path.slice(1)] };
    const lost = await h.status(`status down a path that does not start at ${h.node.id}`, wrongPath);
    f.expect(
      lost.state !== 'not_found' && lost.state !== 'approved',
      `status down a wrong path answered ${lost.state}: only the node the path names can know, so it must answer unknown (not_found would claim nothing was charged)`,
    );
  },
};
