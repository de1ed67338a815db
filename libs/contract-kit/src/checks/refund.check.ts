import { isNotSupported, type OperationOutcome } from '#gateway-spi';
import type { NodeExpectations } from '../contract-subject.js';
import { anyOf, show } from '../harness/findings.js';
import { approvedPayment } from './approved-payment.js';
import type { ContractCheck } from './contract-check.js';
import { ACCEPTED, accepted, afterOperation, confirmsPending } from './pending.js';

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
    let capture: OperationOutcome | null = null;
    if (inParts) {
      const operationId = `${address.attemptId}.capture`;
      capture = await h.capture(`capture ${captured} of ${h.amount}`, address, captured, operationId);
      f.requireFields(`capture ${captured} of ${h.amount}`, capture, { outcome: ACCEPTED });
      // Its provider confirms it before the refunds, as it would.
      await confirmsPending(h, `capture ${captured} of ${h.amount}`, capture, 'capture', address, operationId, captured);
    }
    // What status may show as refunded: the confirmed refunds, plus any of the pending ones.
    let refunded = [0];
    const refund = async (amount: number, expected: 'accepted' | 'failed', why: string) => {
      const label = `refund ${amount} (captured ${captured}) ${why}`;
      const operationId = h.newId('re');
      const outcome = await h.refund(label, address, amount, operationId);
      f.fields(label, outcome, { outcome: expected === 'accepted' ? ACCEPTED : 'failed' });
      if (!accepted(outcome)) return;
      refunded = outcome.outcome === 'pending' ? [...refunded, ...refunded.map((sum) => sum + amount)] : refunded.map((sum) => sum + amount);
      await confirmsPending(h, label, outcome, 'refund', address, operationId, amount);
    };
    const first = Math.floor(captured / 3);
    await refund(captured + 1, 'failed', 'more than captured');
    await refund(first, 'accepted', 'a first part');
    if (multipleRefunds) {
      await refund(captured - first + 1, 'failed', 'past the rest');
      await refund(captured - first, 'accepted', 'the rest');
      await refund(1, 'failed', 'once all is refunded');
    } else {
      await refund(1, 'failed', 'a second refund (multipleRefunds: false)');
    }
    const status = await h.status('status after the refunds', address);
    const sums = [...new Set(refunded)];
    f.fields('status after the refunds', status, {
      amountCaptured: capture ? afterOperation(capture, 0, captured) : captured,
      amountRefunded: sums.length === 1 ? sums[0]! : anyOf(...sums),
    });

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
