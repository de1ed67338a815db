import { isNotSupported } from '#gateway-spi';
import type { NodeExpectations } from '../contract-subject.js';
import { show } from '../harness/findings.js';
import { approvedPayment } from './approved-payment.js';
import type { ContractCheck } from './contract-check.js';
import { ACCEPTED, afterOperation, confirmsPending } from './pending.js';

const supported = (_f: unknown, e: NodeExpectations) => !(e.unsupported ?? []).includes('void');

export const voidCheck: ContractCheck = {
  id: 'void',
  title: 'voids an authorization (or accepts to, pending); a voided authorization cannot be captured',
  when: supported,
  async run(h) {
    const { address } = await approvedPayment(h, false, 'to void');
    const operationId = `${address.attemptId}.void`;
    const voided = await h.void('void', address, operationId);
    h.findings.requireFields('void', voided, { outcome: ACCEPTED, code: null });
    h.findings.fields('status after the void', await h.status('status after the void', address), { state: 'approved', voided: afterOperation(voided, false, true), amountCaptured: 0 });
    await confirmsPending(h, 'void', voided, 'void', address, operationId, h.amount);
    if (h.supports('capture')) {
      h.findings.fields('capture after the void', await h.capture('capture after the void', address, h.amount), { outcome: 'failed' });
      h.findings.fields('status after the refused capture', await h.status('status after the refused capture', address), { amountCaptured: 0 });
    }
  },
};

export const voidAfterCaptureCheck: ContractCheck = {
  id: 'void.after-capture',
  title: 'refuses to void what was captured (refund it instead)',
  when: supported,
  async run(h) {
    const { address } = await approvedPayment(h, true, '(a sale)');
    h.findings.fields('void after capture', await h.void('void after capture', address), { outcome: 'failed' });
    h.findings.fields('status after the refused void', await h.status('status after the refused void', address), { voided: false, amountCaptured: h.amount });
  },
};

export const voidNotSupportedCheck: ContractCheck = {
  id: 'void.not-supported',
  title: 'void answers an explicit "not supported" (declared unsupported)',
  when: (f, e) => !supported(f, e),
  async run(h) {
    const { address } = await approvedPayment(h, !h.supports('capture'), 'to void');
    const answer = await h.void('void (declared unsupported)', address);
    h.findings.expect(isNotSupported(answer), `void is declared unsupported, so it must answer failed operation_not_supported (notSupported), got ${show(answer)}`);
    h.findings.fields('status after the unsupported void', await h.status('status after the unsupported void', address), { voided: false });
  },
};
