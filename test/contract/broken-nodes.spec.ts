import { adapterSubjects, CONTRACT_CHECKS, runContract, runContractCheck, type NodeContractSubject } from '#contract-kit';
import { UNIFIED_CODES, type AdapterType, type GatewayNode } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import {
  ApprovesDeclinedNode,
  DoubleChargingNode,
  IgnoresDeadlineNode,
  LeaksNumberInOutcomeNode,
  LogsCardNode,
  NoVoidNode,
  ProviderCodesNode,
  sandboxLeaf,
  ThrowsTodoNode,
} from './broken-nodes.js';

/** A leaf subject; a short hang margin keeps the deadline cases quick. */
const subject = (create: () => GatewayNode, expectations: NodeContractSubject['expectations'] = {}): NodeContractSubject => ({
  name: 'test leaf',
  create,
  fixture: { hangMarginMs: 300 },
  expectations: { kind: 'adapter', ...expectations },
});

const sound = subject(() => sandboxLeaf());

/** Runs `checkId` on the broken node and on a sound leaf: the defect is caught, and only the defect. */
async function caught(broken: NodeContractSubject, checkId: string): Promise<string[]> {
  expect((await runContractCheck(sound, checkId)).failures).toEqual([]);
  const result = await runContractCheck(broken, checkId);
  expect(result.status).toBe('failed');
  return result.failures;
}

describe('the contract suite catches broken nodes', () => {
  it('passes a sound sandbox leaf on every check (the control)', async () => {
    const results = await runContract(sound);
    expect(results.filter((result) => result.status !== 'passed')).toEqual([]);
    expect(results.map((result) => result.id)).toEqual(CONTRACT_CHECKS.map((check) => check.id).filter((id) => !id.endsWith('.not-supported')));
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
    const results = await runContract(subject(() => new NoVoidNode(sandboxLeaf()), { unsupported: ['void'] }));
    expect(results.filter((result) => result.status !== 'passed')).toEqual([]);
    expect(results.map((result) => result.id)).toContain('void.not-supported');
    expect(results.map((result) => result.id)).not.toContain('void');
  });

  it('the same node fails when it does not declare it', async () => {
    const failures = (await runContractCheck(subject(() => new NoVoidNode(sandboxLeaf())), 'void')).failures;
    expect(failures).toEqual([
      "void answered 'void is not supported by leaf', but the node does not declare void unsupported (unsupported: ['void'])",
      expect.stringMatching(/^void: outcome 'failed' \(expected 'succeeded'\), code 'operation_not_supported' \(expected null\)\n/),
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
