import type { AttemptAddress, NotificationAnswer, NotificationFact, NotificationSample, ProviderNotification } from '#gateway-spi';
import { show } from '../harness/findings.js';
import type { NodeHarness } from '../harness/node-harness.js';

/** The leaf an address ends at: the node a provider posts its notifications for. */
export const leafOf = (address: AttemptAddress): string => address.path.at(-1)!;

/**
 * The provider's signed message about `sample`, handed to the node under test for the leaf of
 * `address` (a composite node forwards it down): the answer, and the facts of the sample's kind.
 */
export async function notifyLeaf(
  h: NodeHarness,
  label: string,
  address: AttemptAddress,
  sample: Omit<NotificationSample, 'eventId' | 'attemptId' | 'providerReference' | 'currency'>,
): Promise<{ answer: NotificationAnswer; facts: NotificationFact[]; full: NotificationSample; notification: ProviderNotification }> {
  const full: NotificationSample = {
    eventId: h.newId('evt'),
    attemptId: address.attemptId,
    providerReference: address.providerReference,
    currency: h.fixture.currency,
    ...sample,
  };
  const signed = h.notification(full);
  const notification = { nodeId: leafOf(address), body: signed.body, headers: signed.headers };
  const answer = await h.parseNotification(label, notification);
  return { answer, facts: answer.ok ? answer.facts.filter((fact) => fact.kind === sample.kind) : [], full, notification };
}

/**
 * The fact of a signed sample names what it is about. An authorization's names its attempt and the
 * provider's reference; a modification's names the operation id the root sent (its attempt, when the
 * provider echoes it, and the reference of either the payment or the modification).
 */
export function expectFactAbout(h: NodeHarness, label: string, answer: NotificationAnswer, facts: NotificationFact[], sample: NotificationSample): NotificationFact | null {
  if (!answer.ok) {
    h.findings.fail(`${label}: a notification the provider signed was refused: ${answer.reason} (${show(answer.message)})`);
    return null;
  }
  const fact = facts[0];
  if (!h.findings.expect(fact !== undefined, `${label}: no ${sample.kind} fact among ${show(answer.facts.map((f) => f.kind))}`)) return null;
  const about = `${label}: the ${sample.kind} fact`;
  if (sample.operationId === undefined) {
    h.findings.fields(about, fact, { attemptId: sample.attemptId, providerReference: sample.providerReference });
  } else {
    h.findings.fields(about, fact, { operationId: sample.operationId });
    if (fact.attemptId !== null) h.findings.fields(about, fact, { attemptId: sample.attemptId });
  }
  if (fact.amount !== null) h.findings.fields(`${about}'s amount`, fact, { amount: sample.amount, currency: sample.currency });
  return fact;
}
