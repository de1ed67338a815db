import { describe, expect, it } from 'vitest';
import { simulatorFee, eligibilityProblem } from './simulator.fee.js';
import { DEFAULT_SIMULATOR_OPTIONS, parseSimulatorOptions, validateSimulatorOptions } from './simulator.options.js';

describe('simulator options', () => {
  it('defaults to EUR/GBP/USD, any country, 200 bps, no fixed fee, no latency, a challenge page on 127.0.0.1 at any port', () => {
    expect(parseSimulatorOptions({})).toEqual({ options: DEFAULT_SIMULATOR_OPTIONS, problems: [] });
    expect(DEFAULT_SIMULATOR_OPTIONS).toMatchObject({
      currencies: ['EUR', 'GBP', 'USD'],
      countries: null,
      feeBps: 200,
      feeFixed: 0,
      latencyMs: 0,
      challengeHost: '127.0.0.1',
      challengePort: 0,
      challengePublicUrl: null,
    });
  });

  it('parses every option and upper-cases codes', () => {
    const { options, problems } = parseSimulatorOptions({
      currencies: ['eur', 'JPY'],
      countries: ['de'],
      fee_bps: 180,
      fee_fixed: 25,
      latency_ms: 5,
      challenge_host: '0.0.0.0',
      challenge_port: 4300,
      challenge_public_url: 'https://shop.example/sim-3ds/',
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      currencies: ['EUR', 'JPY'],
      countries: ['DE'],
      feeBps: 180,
      feeFixed: 25,
      latencyMs: 5,
      challengeHost: '0.0.0.0',
      challengePort: 4300,
      challengePublicUrl: 'https://shop.example/sim-3ds',
    });
  });

  it('takes an IPv6 challenge host and a null public URL', () => {
    expect(parseSimulatorOptions({ challenge_host: '::1', challenge_public_url: null })).toMatchObject({
      options: { challengeHost: '::1', challengePublicUrl: null },
      problems: [],
    });
  });

  it.each([
    [{ fee_bps: -1 }, 'options.fee_bps must be a non-negative integer'],
    [{ fee_bps: 1.5 }, 'options.fee_bps must be a non-negative integer'],
    [{ fee_fixed: '10' }, 'options.fee_fixed must be a non-negative integer'],
    [{ latency_ms: -5 }, 'options.latency_ms must be a non-negative integer'],
    [{ currencies: [] }, 'options.currencies must be a non-empty list of ISO 4217 currency codes'],
    [{ currencies: ['EURO'] }, 'options.currencies must be a non-empty list of ISO 4217 currency codes (bad: "EURO")'],
    [{ countries: 'DE' }, 'options.countries must be a non-empty list of ISO 3166-1 alpha-2 country codes'],
    [
      { feebps: 10 },
      'options.feebps is not a simulator option (known: currencies, countries, fee_bps, fee_fixed, latency_ms, challenge_host, challenge_port, challenge_public_url)',
    ],
    [{ challenge_host: '' }, 'options.challenge_host must be a host name or IP address'],
    [{ challenge_host: 'local host' }, 'options.challenge_host must be a host name or IP address'],
    [{ challenge_host: 127 }, 'options.challenge_host must be a host name or IP address'],
    [{ challenge_port: -1 }, 'options.challenge_port must be an integer from 0 to 65535 (0: any free port)'],
    [{ challenge_port: 65_536 }, 'options.challenge_port must be an integer from 0 to 65535 (0: any free port)'],
    [{ challenge_port: '4300' }, 'options.challenge_port must be an integer from 0 to 65535 (0: any free port)'],
    [{ challenge_public_url: 'shop.example/3ds' }, 'options.challenge_public_url must be an absolute http(s) URL without query or fragment'],
    [{ challenge_public_url: 'ftp://shop.example' }, 'options.challenge_public_url must be an absolute http(s) URL without query or fragment'],
    [{ challenge_public_url: 'https://shop.example/3ds?x=1' }, 'options.challenge_public_url must be an absolute http(s) URL without query or fragment'],
    [{ challenge_public_url: 'https://shop.example/#top' }, 'options.challenge_public_url must be an absolute http(s) URL without query or fragment'],
    [{ challenge_public_url: 42 }, 'options.challenge_public_url must be an absolute http(s) URL without query or fragment'],
  ])('rejects %j naming the field', (options, message) => {
    expect(validateSimulatorOptions(options)).toEqual([message]);
  });

  it('reports every bad field at once', () => {
    expect(validateSimulatorOptions({ fee_bps: -1, fee_fixed: -1, nope: 1 })).toHaveLength(3);
  });
});

describe('simulator fee and eligibility', () => {
  it('is fee_fixed + ceil(amount × fee_bps / 10000)', () => {
    expect(simulatorFee(1000, { feeBps: 180, feeFixed: 0 })).toBe(18);
    expect(simulatorFee(1001, { feeBps: 180, feeFixed: 0 })).toBe(19);
    expect(simulatorFee(1000, { feeBps: 0, feeFixed: 30 })).toBe(30);
    expect(simulatorFee(999, { feeBps: 150, feeFixed: 10 })).toBe(10 + 15);
  });

  it('names an unsupported currency or country', () => {
    const options = { currencies: ['EUR'], countries: ['DE'] };
    expect(eligibilityProblem({ currency: 'eur', country: 'de' }, options)).toBeNull();
    expect(eligibilityProblem({ currency: 'EUR' }, options)).toBeNull();
    expect(eligibilityProblem({ currency: 'USD' }, options)?.code).toBe('currency_not_supported');
    expect(eligibilityProblem({ currency: 'EUR', country: 'FR' }, options)).toMatchObject({ code: 'no_route', message: expect.stringContaining('FR') });
  });
});
