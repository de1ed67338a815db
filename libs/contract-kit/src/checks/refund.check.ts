import { isNotSupported } from '#gateway-spi';
import type { NodeExpectations } from '../contract-subject.js';
import { show } from '../harness/findings.js';
import { approvedPayment } from './approved-payment.js';
import type { ContractCheck } from './contract-check.js';

const supported = (_f: unknown, e: NodeExpectations) => !(e.unsupported ?? []).includes('refund');

export const refundCheck: ContractCheck = {
  id: 'refund',
  title: 'refunds up to the captured amount (in parts when multipleRefunds) and refuses past it',
  when: supported,
  async run(h) {
    const f = h.findings;
    const { partialCapture, multipleRefunds } = h.describe().capabilities;
    // Bounded by what was captured, not authorized: capture in part where the node can.
    const inParts = h.supports('capture') && partialCapture;
    const captured = inParts ? Math.floor(h.amount * 0.6) : h.amount;
    const { address } = await approvedPayment(h, !inParts, 'to refund');
    if (inParts) {
      const capture = await h.capture(`capture ${captured} of ${h.amount}`, address, captured);
      f.requireFields(`capture ${captured} of ${h.amount}`, capture, { outcome: 'succeeded' });
    }
    const refund = async (amount: number, expected: 'succeeded' | 'failed', why: string) => {
      const label = `refund ${amount} (captured ${captured}) ${why}`;
      f.fields(label, await h.refund(label, address, amount), { outcome: expected });
    };
    const first = Math.floor(captured / 3);
    await refund(captured + 1, 'failed', 'more than captured');
    await refund(first, 'succeeded', 'a first part');
    if (multipleRefunds) {
      await refund(captured - first + 1, 'failed', 'past the rest');
      await refund(captured - first, 'succeeded', 'the rest');
      await refund(1, 'failed', 'once all is refunded');
    } else {
      await refund(1, 'failed', 'a second refund (multipleRefunds: false)');
    }
    const status = await h.status('status after the refunds', address);
    f.fields('status after the refunds', status, { amountCaptured: captured, amountRefunded: multipleRefunds ? captured : first });

    if (h.supports('capture')) {
      const uncaptured = await approvedPayment(h, false, 'not captured');
      f.fields('refund 1 of an uncaptured authorization', await h.refund('refund 1 of an uncaptured authorization', uncaptured.address, 1), { outcome: 'failed' });
      f.fields('status after the refused refund', await h.status('status after the refused refund', uncaptured.address), { amountRefunded: 0 });
    }
  },
};

export const refundNotSupportedCheck: ContractCheck = {
  id: 'refund.not-supported',
  title: 'refund answers an explicit "not supported" (declared unsupported)',
  when: (f, e) => !supported(f, e),
  async run(h) {
    const { address } = await approvedPayment(h, true, '(a sale)');
    const answer = await h.refund('refund (declared unsupported)', address, 1);
    h.findings.expect(isNotSupported(answer), `refund is declared unsupported, so it must answer failed operation_not_supported (notSupported), got ${show(answer)}`);
    const status = await h.status('status after the unsupported refund', address);
    h.findings.fields('status after the unsupported refund', status, { amountRefunded: 0 });
  },
};
