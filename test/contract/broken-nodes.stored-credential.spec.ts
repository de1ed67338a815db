import { adapterCatalog } from '#adapter-catalog';
import { simulatorAdapter } from '#adapters/simulator';
import { runContract, runContractCheck, type NodeContractSubject } from '#contract-kit';
import type { AdapterType, GatewayNode, OptionalOperation } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { sandboxLeaf } from './broken-nodes.js';
import {
  AsksShopperOnMerchantInitiatedNode,
  DropsNetworkTransactionIdNode,
  NoStoredCredentialsNode,
  RefusesStoredCredentialsFinallyNode,
  StripsStoredCredentialNode,
} from './broken-nodes.stored-credential.js';
import { routerSubjects } from './router-kinds.js';

const SIMULATOR_UNSUPPORTED = simulatorAdapter.contract?.unsupported ?? [];
const WITHOUT_STORED_CREDENTIALS: readonly OptionalOperation[] = [...SIMULATOR_UNSUPPORTED, 'stored_credentials'];

/** A leaf subject with the sandbox leaf's declarations (or `unsupported`). */
const subject = (create: () => GatewayNode, unsupported: readonly OptionalOperation[] = SIMULATOR_UNSUPPORTED): NodeContractSubject => ({
  name: 'test leaf',
  create,
  fixture: { hangMarginMs: 300 },
  expectations: { kind: 'adapter', unsupported },
});

const sound = subject(() => sandboxLeaf());
const withoutStoredCredentials = subject(() => new NoStoredCredentialsNode(sandboxLeaf()), WITHOUT_STORED_CREDENTIALS);

/** Runs `checkId` on the broken node and on its sound control: the defect is caught, and only the defect. */
async function caught(broken: NodeContractSubject, checkId: string, control = sound): Promise<string[]> {
  expect((await runContractCheck(control, checkId)).failures).toEqual([]);
  const result = await runContractCheck(broken, checkId);
  expect(result.status).toBe('failed');
  return result.failures;
}

/** Router subjects over simulator leaves that lack stored credentials (and declare so). */
function routersWithoutStoredCredentials(): NodeContractSubject[] {
  const lacking: AdapterType[] = adapterCatalog.map((type) =>
    type.type === simulatorAdapter.type ? { ...type, create: (id, options) => new NoStoredCredentialsNode(type.create(id, options)) } : type,
  );
  return routerSubjects(lacking).map((router) => ({ ...router, expectations: { ...router.expectations, unsupported: WITHOUT_STORED_CREDENTIALS } }));
}

/** Sets up a router subject (its leaves' provider), runs `work`, tears it down. */
async function withSubject<T>(router: NodeContractSubject, work: () => Promise<T>): Promise<T> {
  await router.setup?.();
  try {
    return await work();
  } finally {
    await router.teardown?.();
  }
}

describe('the contract suite holds stored credentials to the interface', () => {
  it('passes a sound sandbox leaf on the stored-credential checks (the control), and a leaf that declares them unsupported on every check', async () => {
    for (const id of ['stored_credentials.first', 'stored_credentials.subsequent']) expect(await runContractCheck(sound, id)).toMatchObject({ status: 'passed', failures: [] });
    const results = await runContract(withoutStoredCredentials);
    expect(results.filter((result) => result.status !== 'passed')).toEqual([]);
    const ids = results.map((result) => result.id);
    expect(ids).toContain('stored_credentials.not-supported');
    expect(ids).not.toContain('stored_credentials.first');
    expect(ids).not.toContain('stored_credentials.subsequent');
  });

  it('a node that drops the network transaction id the leaf answered', async () => {
    const broken = subject(() => new DropsNetworkTransactionIdNode(sandboxLeaf()));
    const first = await caught(broken, 'stored_credentials.first');
    expect(first).toEqual([
      expect.stringMatching(/^authorize\(card 4242424242424242, capture: true, storedCredential first\/unscheduled\): an approved first use of a stored credential must answer the scheme's network transaction id .* got networkTransactionId undefined$/),
    ]);
    expect((await caught(broken, 'stored_credentials.subsequent'))[0]).toMatch(/to store the card: an approved first use of a stored credential must answer/);
  });

  it('a node that sends a merchant-initiated payment as the shopper\'s own, so the provider asks for the shopper', async () => {
    const failures = await caught(subject(() => new AsksShopperOnMerchantInitiatedNode(sandboxLeaf())), 'stored_credentials.subsequent');
    expect(failures).toEqual([
      expect.stringMatching(
        /^a merchant-initiated authorize\(challenge card 4000000000003220, capture: false, storedCredential subsequent, with a return URL\): outcome 'requires_action' \(expected one of 'approved', 'declined'\)/,
      ),
    ]);
  });

  it('a router that strips the stored credential before the leaf', async () => {
    const router = routerSubjects(adapterCatalog)[0]!;
    const strips = { ...router, create: async () => new StripsStoredCredentialNode(await router.create()) };
    const failures = await withSubject(router, () => caught(strips, 'stored_credentials.first', router));
    expect(failures).toEqual([expect.stringMatching(/must answer the scheme's network transaction id .* got networkTransactionId undefined$/)]);
  });

  it('a leaf without stored credentials that does not declare so', async () => {
    const failures = (await runContractCheck(subject(() => new NoStoredCredentialsNode(sandboxLeaf())), 'stored_credentials.first')).failures;
    expect(failures).toEqual([
      "authorize(card 4242424242424242, capture: true, storedCredential first/unscheduled) answered 'stored_credentials is not supported by leaf', but the node does not declare stored credentials unsupported (unsupported: ['stored_credentials'])",
    ]);
  });

  it('a leaf that declares stored credentials unsupported but charges them', async () => {
    const failures = await caught(subject(() => sandboxLeaf(), WITHOUT_STORED_CREDENTIALS), 'stored_credentials.not-supported', withoutStoredCredentials);
    expect(failures).toEqual([
      expect.stringMatching(/\(declared unsupported\): stored credentials are declared unsupported, so it must answer failed operation_not_supported, retryable .* got \{ outcome: 'approved'/),
      expect.stringMatching(/^status after .*: must show nothing was charged, got approved with 1000 authorized, 1000 captured$/),
    ]);
  });

  it('a leaf that refuses stored credentials as a final failure, so no router would try another leaf', async () => {
    const failures = await caught(subject(() => new RefusesStoredCredentialsFinallyNode(sandboxLeaf()), WITHOUT_STORED_CREDENTIALS), 'stored_credentials.not-supported', withoutStoredCredentials);
    expect(failures).toEqual([expect.stringMatching(/must answer failed operation_not_supported, retryable .* got \{ outcome: 'failed', code: 'operation_not_supported', retryable: false/)]);
  });

  it('a router over leaves without stored credentials answers "not supported" through every level; one that strips the credential charges instead', async () => {
    const routers = routersWithoutStoredCredentials();
    const twoLevels = routers[1]!;
    await withSubject(twoLevels, async () => {
      expect(await runContractCheck(twoLevels, 'stored_credentials.not-supported')).toMatchObject({ status: 'passed', failures: [] });
      const strips = { ...twoLevels, create: async () => new StripsStoredCredentialNode(await twoLevels.create()) };
      const failures = (await runContractCheck(strips, 'stored_credentials.not-supported')).failures;
      expect(failures).toEqual([expect.stringMatching(/got \{ outcome: 'approved'/), expect.stringMatching(/must show nothing was charged, got approved/)]);
    });
  });
});
