import { adapterCatalog } from '#adapter-catalog';
import { simulatorAdapter } from '#adapters/simulator';
import { adapterSubjects, CONTRACT_CHECKS, runContract, runContractCheck, type NodeContractSubject } from '#contract-kit';
import { UNIFIED_CODES, type AdapterType, type GatewayNode } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import {
  AcceptsTamperedNotificationNode,
  ApprovesDeclinedNode,
  ClaimsEveryNotificationNode,
  CompletesWithoutShopperNode,
  ConfirmsLaterNode,
  DoubleChargingNode,
  DropsChallengeNode,
  FreshEventIdsNode,
  IgnoresDeadlineNode,
  KeepsNotificationsNode,
  LeaksNumberInOutcomeNode,
  LogsCardNode,
  LosesOperationIdNode,
  NotifiedLeaf,
  NoVoidNode,
  ProviderCodesNode,
  sandboxLeaf,
  ThrowsTodoNode,
  VoidsPendingCaptureNode,
  writeToyNotification,
} from './broken-nodes.js';
import { routerSubjects } from './router-kinds.js';

/** A leaf subject with the sandbox leaf's declarations; a short hang margin keeps the deadline cases quick. */
const subject = (create: () => GatewayNode, expectations: NodeContractSubject['expectations'] = {}): NodeContractSubject => ({
  name: 'test leaf',
  create,
  fixture: { hangMarginMs: 300 },
  expectations: { kind: 'adapter', unsupported: simulatorAdapter.contract?.unsupported ?? [], ...expectations },
});

/** A leaf that takes the toy provider's notifications, whose writer the subject gives the checks. */
const notified = (create: () => GatewayNode): NodeContractSubject => ({ ...subject(create, { unsupported: [] }), notificationWriter: () => writeToyNotification });

const sound = subject(() => sandboxLeaf());
const soundNotified = notified(() => new NotifiedLeaf(sandboxLeaf()));

/** Runs `checkId` on the broken node and on a sound leaf: the defect is caught, and only the defect. */
async function caught(broken: NodeContractSubject, checkId: string, control = sound): Promise<string[]> {
  expect((await runContractCheck(control, checkId)).failures).toEqual([]);
  const result = await runContractCheck(broken, checkId);
  expect(result.status).toBe('failed');
  return result.failures;
}

/** The checks of a subject that declares `unsupported`: each pair's "not supported" half instead of the other. */
const checkIds = (unsupported: readonly string[]) =>
  CONTRACT_CHECKS.map((check) => check.id).filter((id) => {
    const operation = id.endsWith('.not-supported') ? id.slice(0, -'.not-supported'.length) : null;
    return operation !== null ? unsupported.includes(operation) : !unsupported.includes(id);
  });

describe('the contract suite catches broken nodes', () => {
  it('passes a sound sandbox leaf on every check (the control)', async () => {
    const results = await runContract(sound);
    expect(results.filter((result) => result.status !== 'passed')).toEqual([]);
    expect(results.map((result) => result.id)).toEqual(checkIds(simulatorAdapter.contract?.unsupported ?? []));
  });

  it('passes a sound leaf that takes notifications, and one whose provider confirms operations later (pending), on every check', async () => {
    for (const passing of [soundNotified, notified(() => new ConfirmsLaterNode(sandboxLeaf()))]) {
      const results = await runContract(passing);
      expect(results.filter((result) => result.status !== 'passed')).toEqual([]);
      expect(results.map((result) => result.id)).toEqual(checkIds([]));
    }
  });

  it('a node that charges twice for a repeated attempt id', async () => {
    const failures = await caught(subject(() => new DoubleChargingNode(sandboxLeaf())), 'idempotency.attempt');
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^the same sale replayed \(same attempt id\): providerReference/),
        expect.stringMatching(/^status after the replayed sale \(one charge\): amountAuthorized 2000 \(expected 1000\), amountCaptured 2000 \(expected 1000\)/),
      ]),
    );
  });

  it('a node that approves a declined card', async () => {
    const failures = await caught(subject(() => new ApprovesDeclinedNode(sandboxLeaf())), 'cards.declined');
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatch(/^authorize\(card 4000000000000002, capture: false\): outcome 'approved' \(expected 'declined'\), code null \(expected 'card_declined'\)/);
  });

  it('a node that ignores the deadline: an aborted call, and a provider that does not reply', async () => {
    const broken = subject(() => new IgnoresDeadlineNode(sandboxLeaf()));
    const aborted = await caught(broken, 'deadline.aborted');
    expect(aborted[0]).toMatch(/^authorize with an aborted deadline must answer failed or unknown with provider_timeout, got approved null/);
    const started = Date.now();
    const short = await caught(broken, 'deadline.short');
    expect(short).toEqual([expect.stringMatching(/^authorize\(card 4000000000000101\) with a 150 ms deadline did not answer within \d+ ms, 300 ms past its deadline: it ignores the deadline/)]);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a node that returns the card number in an outcome', async () => {
    const failures = await caught(subject(() => new LeaksNumberInOutcomeNode(sandboxLeaf())), 'card-data');
    expect(failures).toContain('authorize(card 4242424242424242): the answer contains the full card number 424242…4242');
  });

  it('a node that logs the card number and CVC', async () => {
    const failures = await caught(subject(() => new LogsCardNode(sandboxLeaf())), 'card-data');
    expect(failures).toEqual(expect.arrayContaining([expect.stringMatching(/^log line \d+ \(debug "authorize"\) contains the full card number 424242…4242$/)]));
    expect(failures).toEqual(expect.arrayContaining([expect.stringMatching(/^log line \d+ \(debug "authorize"\) contains the CVC$/)]));
  });
});

describe('the asynchronous half: shoppers, notifications, pending operations', () => {
  it('a node that takes a challenge for a retryable failure (a router failing over from requires_action)', async () => {
    const failures = await caught(subject(() => new DropsChallengeNode(sandboxLeaf())), 'shopper.redirect');
    expect(failures).toEqual([expect.stringMatching(/^authorize\(card 4000000000003220, capture: false, with a return URL\) to complete: outcome 'failed' \(expected 'requires_action'\), code 'authentication_required' \(expected null\), retryable true \(expected false\)/)]);
    expect((await runContractCheck(subject(() => new DropsChallengeNode(sandboxLeaf())), 'shopper.refused')).status).toBe('failed');
  });

  it('a node that approves a waiting attempt before the shopper authenticated', async () => {
    const failures = await caught(subject(() => new CompletesWithoutShopperNode(sandboxLeaf())), 'shopper.redirect');
    expect(failures[0]).toMatch(/^completeAction before the shopper acted \(no return data\): state 'approved' \(expected 'requires_action'\), amountAuthorized 1000 \(expected 0\)/);
  });

  it('a node that accepts a tampered notification', async () => {
    const failures = await caught(notified(() => new AcceptsTamperedNotificationNode(sandboxLeaf())), 'notifications', soundNotified);
    expect(failures).toEqual([expect.stringMatching(/^the authorized notification for leaf with one character of the amount changed: must answer \{ ok: false, reason: 'bad_signature' \}, got \{ ok: true/)]);
  });

  it('a node that takes a notification for a node absent from the tree as its own', async () => {
    const failures = await caught(notified(() => new ClaimsEveryNotificationNode(sandboxLeaf())), 'notifications', soundNotified);
    expect(failures).toEqual([expect.stringMatching(/^a notification for absent-node_ct[0-9a-f]+, a node absent from the tree: must answer \{ ok: false, reason: 'unknown_node' \}/)]);
  });

  it('a node whose event ids change from one parse of the same message to the next', async () => {
    const failures = await caught(notified(() => new FreshEventIdsNode(sandboxLeaf())), 'notifications', soundNotified);
    expect(failures).toEqual([expect.stringMatching(/^the authorized notification for leaf: the same message parsed again gives event ids \[ 'evt_ct[0-9a-f]+_2' \]/)]);
  });

  it('a node that takes notifications whose contract provider writes none', async () => {
    const failures = (await runContractCheck(subject(() => new NotifiedLeaf(sandboxLeaf()), { unsupported: [] }), 'notifications')).failures;
    expect(failures).toEqual([expect.stringMatching(/^the node takes notifications \(its fixture does not list 'notifications' as unsupported\), but its contract provider writes none/)]);
  });

  it('a node that declares notifications unsupported but takes them, and one that declares nothing and refuses them', async () => {
    const declared = await runContractCheck({ ...soundNotified, expectations: { kind: 'adapter', unsupported: ['notifications'] } }, 'notifications.not-supported');
    expect(declared.failures).toEqual([expect.stringMatching(/^a notification for leaf \(declared unsupported\): must answer \{ ok: false, reason: 'not_supported' \}, got \{ ok: false, reason: 'bad_signature'/)]);
    const undeclared = await runContractCheck(notified(() => sandboxLeaf()), 'notifications');
    expect(undeclared.failures[0]).toMatch(/^the authorized notification for leaf: a notification the provider signed was refused: not_supported/);
  });

  it('a router that does not hand a notification to the leaf it names', async () => {
    const router = routerSubjects(adapterCatalog)[1]!;
    const keeps = { ...router, create: async () => new KeepsNotificationsNode(await router.create()) };
    const failures = await caught(keeps, 'notifications.not-supported', router);
    expect(failures).toEqual([expect.stringMatching(/^a notification for sim-[abc] \(declared unsupported\): must answer \{ ok: false, reason: 'not_supported' \}, got \{ ok: false, reason: 'unknown_node'/)]);
  });

  it('a node whose status contradicts the capture it accepted as pending (voided after a capture)', async () => {
    const failures = await caught(notified(() => new VoidsPendingCaptureNode(sandboxLeaf())), 'capture.full', soundNotified);
    expect(failures).toEqual([expect.stringMatching(/^status after the capture: voided true \(expected false\)\n/)]);
  });

  it("a node whose pending capture's notification loses the operation id the root sent", async () => {
    const failures = await caught(notified(() => new LosesOperationIdNode(sandboxLeaf())), 'capture.full', soundNotified);
    expect(failures).toEqual([expect.stringMatching(/^the captured notification of capture 1000 of 1000 \(pending\): the captured fact: operationId null \(expected 'att_ct[0-9a-f]+_1\.capture'\)/)]);
  });
});

describe('every answer is held to the interface, whichever check makes the call', () => {
  it("a node that passes the provider's own codes through", async () => {
    const failures = await caught(subject(() => new ProviderCodesNode(sandboxLeaf())), 'idempotency.attempt');
    expect(failures).toContain(`authorize(card 4000000000000002): code 'generic_decline' is not a unified code (${UNIFIED_CODES.join(', ')})`);
  });

  it('a node that throws instead of answering', async () => {
    const failures = await caught(subject(() => new ThrowsTodoNode(sandboxLeaf())), 'void');
    expect(failures).toEqual(['void threw instead of answering an outcome: Error: TODO: void']);
  });
});

describe('declared expectations are checked, never skipped', () => {
  it('a node without void passes when it declares so, and answers "not supported"', async () => {
    const results = await runContract(subject(() => new NoVoidNode(sandboxLeaf()), { unsupported: ['void', 'notifications'] }));
    expect(results.filter((result) => result.status !== 'passed')).toEqual([]);
    expect(results.map((result) => result.id)).toContain('void.not-supported');
    expect(results.map((result) => result.id)).not.toContain('void');
  });

  it('the same node fails when it does not declare it', async () => {
    const failures = (await runContractCheck(subject(() => new NoVoidNode(sandboxLeaf())), 'void')).failures;
    expect(failures).toEqual([
      "void answered 'void is not supported by leaf', but the node does not declare void unsupported (unsupported: ['void'])",
      expect.stringMatching(/^void: outcome 'failed' \(expected one of 'succeeded', 'pending'\), code 'operation_not_supported' \(expected null\)\n/),
    ]);
  });

  it('a node that declares void unsupported but voids fails', async () => {
    const failures = (await runContractCheck(subject(() => sandboxLeaf(), { unsupported: ['void'] }), 'void.not-supported')).failures;
    expect(failures).toEqual([
      expect.stringMatching(/^void is declared unsupported, so it must answer failed operation_not_supported \(notSupported\), got \{ outcome: 'succeeded'/),
      expect.stringMatching(/^status after the unsupported void: voided true \(expected false\)/),
    ]);
  });
});

describe('adapter subjects', () => {
  const base: AdapterType = { type: 'acme', description: 'acme', validateOptions: () => [], create: () => sandboxLeaf() };

  it('a type without a contract fixture fails the run with a message naming it', () => {
    expect(adapterSubjects([base])).toEqual([{ name: 'adapter acme', problem: expect.stringMatching(/^adapter type acme declares no contract fixture/) }]);
  });

  it('a fixture whose options the type rejects fails the run naming the field', () => {
    const strict = { ...base, validateOptions: () => ['options.key is required'], contract: { options: {} } };
    expect(adapterSubjects([strict])).toEqual([{ name: 'adapter acme', problem: "adapter type acme: its contract fixture's options are invalid: options.key is required" }]);
  });

  it('a type with a fixture is enrolled with its declarations', () => {
    const [entry] = adapterSubjects([{ ...base, contract: { options: {}, currency: 'USD', unsupported: ['refund'] } }]);
    expect(entry).toMatchObject({ name: 'adapter acme', fixture: { currency: 'USD' }, expectations: { kind: 'adapter', type: 'acme', unsupported: ['refund'] } });
  });
});
