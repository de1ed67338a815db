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
      market: null,
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
      'options.feebps is not a simulator option (known: currencies, countries, fee_bps, fee_fixed, latency_ms, challenge_host, challenge_port, challenge_public_url, market)',
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

describe('simulator options: market', () => {
  const full = {
    seed: 7,
    approval_rate: 0.9,
    by_brand: { visa: 0.92, amex: 0.8 },
    by_country: { DE: 0.95, BR: 0.7 },
    amount_bands: [{ up_to: 10_000, approval_rate: 0.93 }, { approval_rate: 0.85 }],
    soft_decline_share: 0.4,
    soft_codes: ['try_again_later', 'issuer_unavailable'],
    hard_codes: ['card_declined', 'suspected_fraud'],
    latency: { median_ms: 80, p99_ms: 400 },
  };

  it('is none when absent or null', () => {
    expect(parseSimulatorOptions({}).options.market).toBeNull();
    expect(parseSimulatorOptions({ market: null })).toMatchObject({ options: { market: null }, problems: [] });
  });

  it('parses every field into the camelCase market', () => {
    expect(parseSimulatorOptions({ market: full })).toEqual({
      options: {
        ...DEFAULT_SIMULATOR_OPTIONS,
        market: {
          seed: 7,
          approvalRate: 0.9,
          byBrand: { visa: 0.92, amex: 0.8 },
          byCountry: { DE: 0.95, BR: 0.7 },
          amountBands: [{ upTo: 10_000, approvalRate: 0.93 }, { approvalRate: 0.85 }],
          softDeclineShare: 0.4,
          softCodes: ['try_again_later', 'issuer_unavailable'],
          hardCodes: ['card_declined', 'suspected_fraud'],
          latency: { medianMs: 80, p99Ms: 400 },
        },
      },
      problems: [],
    });
  });

  it('fills absent fields with their defaults', () => {
    expect(parseSimulatorOptions({ market: {} }).options.market).toEqual({
      seed: 0,
      approvalRate: 1,
      byBrand: {},
      byCountry: {},
      amountBands: [],
      softDeclineShare: 0.5,
      softCodes: ['try_again_later', 'issuer_unavailable', 'do_not_honor'],
      hardCodes: ['card_declined', 'insufficient_funds', 'expired_card', 'stolen_card'],
      latency: null,
    });
  });

  it.each([
    [{ market: 'high' }, 'options.market must be an object'],
    [{ market: { seed: -1 } }, 'options.market.seed must be a non-negative integer'],
    [{ market: { seed: 1.5 } }, 'options.market.seed must be a non-negative integer'],
    [{ market: { approval_rate: 1.1 } }, 'options.market.approval_rate must be a number from 0 to 1'],
    [{ market: { approval_rate: '0.9' } }, 'options.market.approval_rate must be a number from 0 to 1'],
    [{ market: { by_brand: [0.9] } }, 'options.market.by_brand must be an object of lower-case card brands (visa, mastercard, amex, discover, jcb, diners, unionpay, unknown) to rates from 0 to 1'],
    [{ market: { by_brand: { VISA: 0.9 } } }, 'options.market.by_brand.VISA is not one of the lower-case card brands (visa, mastercard, amex, discover, jcb, diners, unionpay, unknown)'],
    [{ market: { by_brand: { visa: -0.1 } } }, 'options.market.by_brand.visa must be a number from 0 to 1'],
    [{ market: { by_country: { de: 0.9 } } }, 'options.market.by_country.de is not one of the upper-case ISO 3166-1 alpha-2 country codes'],
    [{ market: { by_country: { DE: 2 } } }, 'options.market.by_country.DE must be a number from 0 to 1'],
    [{ market: { amount_bands: { up_to: 5 } } }, 'options.market.amount_bands must be a list of {up_to, approval_rate}'],
    [{ market: { amount_bands: [{ approval_rate: 0.9 }, { approval_rate: 0.8 }] } }, 'options.market.amount_bands[0].up_to may be omitted on the last band only'],
    [{ market: { amount_bands: [{ up_to: 500, approval_rate: 0.9 }, { up_to: 500, approval_rate: 0.8 }] } }, "options.market.amount_bands[1].up_to must be greater than the previous band's up_to"],
    [{ market: { amount_bands: [{ up_to: -5, approval_rate: 0.9 }] } }, 'options.market.amount_bands[0].up_to must be a non-negative integer (minor units)'],
    [{ market: { amount_bands: [{ up_to: 5 }] } }, 'options.market.amount_bands[0].approval_rate must be a number from 0 to 1'],
    [{ market: { amount_bands: [{ approval_rate: 0.9, upto: 5 }] } }, 'options.market.amount_bands[0].upto is not a band field (known: up_to, approval_rate)'],
    [{ market: { soft_decline_share: -0.5 } }, 'options.market.soft_decline_share must be a number from 0 to 1'],
    [{ market: { soft_codes: [] } }, 'options.market.soft_codes must be a non-empty list of soft decline codes (try_again_later, issuer_unavailable, do_not_honor)'],
    [{ market: { soft_codes: ['card_declined'] } }, 'options.market.soft_codes must be a non-empty list of soft decline codes (try_again_later, issuer_unavailable, do_not_honor); bad: "card_declined"'],
    [{ market: { hard_codes: ['do_not_honor', 'nope'] } }, expect.stringMatching(/^options\.market\.hard_codes must be a non-empty list of hard decline codes \(card_declined, .*\); bad: "do_not_honor", "nope"$/)],
    [{ market: { latency: 80 } }, 'options.market.latency must be an object {median_ms, p99_ms}'],
    [{ market: { latency: { median_ms: 0, p99_ms: 10 } } }, 'options.market.latency.median_ms must be an integer from 1 to 120000'],
    [{ market: { latency: { median_ms: 80 } } }, 'options.market.latency.p99_ms must be an integer from 1 to 120000'],
    [{ market: { latency: { median_ms: 80, p99_ms: 40 } } }, 'options.market.latency.p99_ms must be at least latency.median_ms'],
    [{ market: { latency: { median_ms: 80, p99_ms: 400, p50_ms: 80 } } }, 'options.market.latency.p50_ms is not a latency field (known: median_ms, p99_ms)'],
    [
      { market: { approval: 0.9 } },
      'options.market.approval is not a market field (known: seed, approval_rate, by_brand, by_country, amount_bands, soft_decline_share, soft_codes, hard_codes, latency)',
    ],
  ])('rejects %j naming the field', (options, message) => {
    expect(validateSimulatorOptions(options)).toEqual([message]);
  });

  it('reports every bad market field at once, and sets no market', () => {
    const parsed = parseSimulatorOptions({ market: { seed: -1, approval_rate: 2, by_country: { xx: 1 } } });
    expect(parsed.problems).toHaveLength(3);
    expect(parsed.options.market).toBeNull();
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
