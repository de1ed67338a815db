import { isNotSupported } from '#gateway-spi';
import type { NodeExpectations } from '../contract-subject.js';
import { show } from '../harness/findings.js';
import { approvedPayment } from './approved-payment.js';
import type { ContractCheck } from './contract-check.js';
import { ACCEPTED, afterOperation, confirmsPending } from './pending.js';

const supported = (_f: unknown, e: NodeExpectations) => !(e.unsupported ?? []).includes('capture');

export const fullCaptureCheck: ContractCheck = {
  id: 'capture.full',
  title: 'captures an authorization in full (or accepts it, pending), once; refuses a second capture and more than authorized',
  when: supported,
  async run(h) {
    const { address } = await approvedPayment(h, false, 'to capture');
    // The operation id the root sends, so that a pending capture's notification can name it.
    const operationId = `${address.attemptId}.capture`;
    const label = `capture ${h.amount} of ${h.amount}`;
    const captured = await h.capture(label, address, h.amount, operationId);
    h.findings.requireFields(label, captured, { outcome: ACCEPTED, code: null });
    const status = await h.status('status after the capture', address);
    h.findings.fields('status after the capture', status, { state: 'approved', amountAuthorized: h.amount, amountCaptured: afterOperation(captured, 0, h.amount), voided: false });
    await confirmsPending(h, label, captured, 'capture', address, operationId, h.amount);
    const second = await h.capture('a second capture (new operation id)', address, 1);
    h.findings.fields('a second capture (new operation id)', second, { outcome: 'failed' });
    const after = await h.status('status after the second capture', address);
    h.findings.fields('status after the second capture', after, { amountCaptured: afterOperation(captured, 0, h.amount) });

    const other = await approvedPayment(h, false, 'to over-capture');
    const over = await h.capture(`capture ${h.amount + 1} of ${h.amount}`, other.address, h.amount + 1);
    h.findings.fields(`capture ${h.amount + 1} of ${h.amount}`, over, { outcome: 'failed' });
    const untouched = await h.status('status after the refused over-capture', other.address);
    h.findings.fields('status after the refused over-capture', untouched, { amountCaptured: 0 });
  },
};

export const partialCaptureCheck: ContractCheck = {
  id: 'capture.partial',
  title: 'captures part of an authorization, or refuses to when capabilities say partialCapture: false',
  when: supported,
  async run(h) {
    const partial = Math.floor(h.amount * 0.6);
    const allowed = h.describe().capabilities.partialCapture;
    const { address } = await approvedPayment(h, false, 'to capture in part');
    const label = `capture ${partial} of ${h.amount} (partialCapture: ${allowed})`;
    const captured = await h.capture(label, address, partial);
    h.findings.fields(label, captured, allowed ? { outcome: ACCEPTED, code: null } : { outcome: 'failed' });
    const status = await h.status(`status after ${label}`, address);
    h.findings.fields(`status after ${label}`, status, { amountAuthorized: h.amount, amountCaptured: allowed ? afterOperation(captured, 0, partial) : 0 });
  },
};

export const captureNotSupportedCheck: ContractCheck = {
  id: 'capture.not-supported',
  title: 'capture answers an explicit "not supported" (declared unsupported)',
  when: (f, e) => !supported(f, e),
  async run(h) {
    const { address } = await approvedPayment(h, true, '(a sale)');
    const answer = await h.capture('capture (declared unsupported)', address, h.amount);
    h.findings.expect(isNotSupported(answer), `capture is declared unsupported, so it must answer failed operation_not_supported (notSupported), got ${show(answer)}`);
  },
};
