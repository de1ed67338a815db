import { simulatorAdapter } from '#adapters/simulator';
import { adapterSubjects, isSkipped, isUnfit, providerModeFromEnv, type NodeContractSubject } from '#contract-kit';
import type { AdapterType, NotificationSample, StartedContractProvider } from '#gateway-spi';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** A provider-backed type on the simulator: its "fake" is started, its options and environment then apply. */
function providerType(log: string[]): AdapterType {
  const started: StartedContractProvider = {
    options: { currencies: ['EUR', 'CHF'] },
    env: { CANOPY_PROVIDER_SUBJECT_KEY: 'from-the-fake' },
    stop: async () => void log.push('stopped'),
  };
  return {
    ...simulatorAdapter,
    type: 'probe',
    create: (id, options) => {
      log.push(`created ${id} with ${JSON.stringify(options)} and key ${process.env.CANOPY_PROVIDER_SUBJECT_KEY}`);
      return simulatorAdapter.create(id, options);
    },
    contract: {
      options: { currencies: ['nope'] },
      provider: {
        fake: { cards: { lostReply: null }, start: async () => (log.push('started'), started) },
        sandbox: { requires: ['CANOPY_PROVIDER_SUBJECT_SANDBOX_KEY'], start: async () => started },
      },
    },
  };
}

describe('adapter subjects with a provider', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('start the fake before the checks, build nodes from its options and environment, stop it after', async () => {
    const log: string[] = [];
    const [entry] = adapterSubjects([providerType(log)], 'fake');
    expect(entry!.name).toBe('adapter probe (fake)');
    const subject = entry as NodeContractSubject;
    expect(subject.fixture?.cards).toEqual({ lostReply: null });
    expect(() => subject.create()).toThrow(/not started/);
    await subject.setup!();
    await subject.create();
    await subject.teardown!();
    expect(log).toEqual(['started', 'created contract-probe with {"currencies":["EUR","CHF"]} and key from-the-fake', 'stopped']);
    expect(process.env.CANOPY_PROVIDER_SUBJECT_KEY).toBeUndefined();
  });

  it("give the checks the started provider's notification writer, none before it starts nor after it stops", async () => {
    const written: NotificationSample[] = [];
    const type = providerType([]);
    const fake = type.contract!.provider!.fake;
    const writing: AdapterType = {
      ...type,
      contract: {
        ...type.contract!,
        provider: { fake: { ...fake, start: async () => ({ ...(await fake.start()), notification: (sample) => (written.push(sample), { body: 'signed', headers: {} }) }) } },
      },
    };
    const subject = adapterSubjects([writing], 'fake')[0] as NodeContractSubject;
    expect(subject.notificationWriter!()).toBeNull();
    await subject.setup!();
    const sample: NotificationSample = { eventId: 'evt_1', kind: 'authorized', attemptId: 'att_1_1', providerReference: 'ref', amount: 1000, currency: 'EUR' };
    expect(subject.notificationWriter!()!(sample)).toEqual({ body: 'signed', headers: {} });
    expect(written).toEqual([sample]);
    await subject.teardown!();
    expect(subject.notificationWriter!()).toBeNull();
  });

  it('skip the sandbox with a line naming the variables to set, and run it once they are set', () => {
    const [skipped] = adapterSubjects([providerType([])], 'sandbox');
    expect(isSkipped(skipped!) && skipped.skip).toBe('set CANOPY_PROVIDER_SUBJECT_SANDBOX_KEY to run the contract of probe against its sandbox');
    vi.stubEnv('CANOPY_PROVIDER_SUBJECT_SANDBOX_KEY', 'sk');
    const [ready] = adapterSubjects([providerType([])], 'sandbox');
    expect(isSkipped(ready!) || isUnfit(ready!)).toBe(false);
  });

  it('the mode comes from CANOPY_CONTRACT_PROVIDERS, fakes unless it says sandbox', () => {
    expect(providerModeFromEnv({})).toBe('fake');
    expect(providerModeFromEnv({ CANOPY_CONTRACT_PROVIDERS: 'sandbox' })).toBe('sandbox');
  });
});
