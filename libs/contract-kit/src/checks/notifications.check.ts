import type { NotificationAnswer } from '#gateway-spi';
import type { NodeExpectations } from '../contract-subject.js';
import { show } from '../harness/findings.js';
import type { NodeHarness } from '../harness/node-harness.js';
import { approvedPayment } from './approved-payment.js';
import type { ContractCheck } from './contract-check.js';
import { expectFactAbout, leafOf, notifyLeaf } from './notification-facts.js';

const supported = (_f: unknown, e: NodeExpectations) => !(e.unsupported ?? []).includes('notifications');

function expectRefusal(h: NodeHarness, label: string, answer: NotificationAnswer, reason: string): void {
  h.findings.expect(!answer.ok && answer.reason === reason, `${label}: must answer { ok: false, reason: '${reason}' }, got ${show(answer)}`);
}

/** A notification for a node that is nowhere in the tree: no node may take it as its own. */
async function expectUnknownNode(h: NodeHarness, body: string, headers: Record<string, string>): Promise<void> {
  const nodeId = `absent-${h.newId('node')}`;
  const label = `a notification for ${nodeId}, a node absent from the tree`;
  expectRefusal(h, label, await h.parseNotification(label, { nodeId, body, headers }), 'unknown_node');
}

/** One character of the amount changed (the last digit of its first mention), or of the body's last digit. */
function tampered(body: string, amount: number): string {
  const digits = String(amount);
  const at = body.search(new RegExp(`(?<!\\d)${digits}(?!\\d)`));
  const index = at >= 0 ? at + digits.length - 1 : body.search(/\d(?!.*\d)/s);
  if (index < 0) return `${body} `;
  const digit = body[index]!;
  return `${body.slice(0, index)}${digit === '9' ? '8' : String(Number(digit) + 1)}${body.slice(index + 1)}`;
}

export const notificationsCheck: ContractCheck = {
  id: 'notifications',
  title: "parses its provider's signed notification into facts at the leaf it names; refuses a tampered one and one for a node absent from the tree",
  when: supported,
  async run(h) {
    const f = h.findings;
    const { outcome, address } = await approvedPayment(h, false, 'to be notified about');
    const label = `the authorized notification for ${leafOf(address)}`;
    const { answer, facts, full, notification } = await notifyLeaf(h, label, address, { kind: 'authorized', amount: h.amount });
    f.expect(typeof outcome.providerReference === 'string', `${label}: the approval carries no provider reference to notify about`);
    const fact = expectFactAbout(h, label, answer, facts, full);
    const again = await h.parseNotification(`${label} (the same message again)`, notification);
    if (fact && again.ok) {
      f.expect(
        again.facts.some((x) => x.kind === fact.kind && x.eventId === fact.eventId),
        `${label}: the same message parsed again gives event ids ${show(again.facts.map((x) => x.eventId))}, first ${show(fact.eventId)}: the root applies a fact once per event id`,
      );
    }

    const forged = { ...notification, body: tampered(notification.body, h.amount) };
    const forgedLabel = `${label} with one character of the amount changed`;
    expectRefusal(h, forgedLabel, await h.parseNotification(forgedLabel, forged), 'bad_signature');
    await expectUnknownNode(h, notification.body, notification.headers);
  },
};

export const notificationsNotSupportedCheck: ContractCheck = {
  id: 'notifications.not-supported',
  title: 'notifications answer an explicit "not supported" at its leaf (declared unsupported), unknown_node for a node absent from the tree',
  when: (f, e) => !supported(f, e),
  async run(h) {
    const { address } = await approvedPayment(h, false, 'to be notified about');
    const body = JSON.stringify({ type: 'payment.authorized', attemptId: address.attemptId, providerReference: address.providerReference, amount: h.amount });
    const headers = { 'content-type': 'application/json' };
    const label = `a notification for ${leafOf(address)} (declared unsupported)`;
    expectRefusal(h, label, await h.parseNotification(label, { nodeId: leafOf(address), body, headers }), 'not_supported');
    await expectUnknownNode(h, body, headers);
  },
};
