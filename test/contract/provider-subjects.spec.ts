import { simulatorAdapter } from '#adapters/simulator';
import { adapterSubjects, isSkipped, isUnfit, providerModeFromEnv, type NodeContractSubject } from '#contract-kit';
import type { AdapterType, StartedContractProvider } from '#gateway-spi';
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
