import { beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession } from '../support/gateway-harness.js';

/** Not a test card: the simulators' market decides. */
const CARD = '4111111111111111';

const sim = (id: string, market: object, currencies: string[]) => ({ id, type: 'simulator', options: { currencies, market } });
const alwaysSoft = (code: string) => ({ approval_rate: 0, soft_decline_share: 1, soft_codes: [code] });

/**
 * EUR: a priority router that cascades, over a leaf that soft-declines everything and one that
 * approves; GBP: the same with do_not_honor (opt-in); USD: a success-rate router over the same pair.
 */
function cascadingTree(): unknown {
  const pair = (prefix: string, code: string, currency: string) => [sim(`${prefix}-soft`, alwaysSoft(code), [currency]), sim(`${prefix}-good`, { approval_rate: 1 }, [currency])];
  return {
    root: {
      id: 'root',
      type: 'router',
      strategy: 'rules',
      rules: [
        { when: { currency: ['EUR'] }, to: 'chain' },
        { when: { currency: ['GBP'] }, to: 'optin' },
      ],
      default: 'learn',
      children: [
        { id: 'chain', type: 'router', strategy: 'priority', cascade: { max_attempts: 1 }, children: pair('chain', 'try_again_later', 'EUR') },
        { id: 'optin', type: 'router', strategy: 'priority', cascade: { max_attempts: 1 }, children: pair('optin', 'do_not_honor', 'GBP') },
        {
          id: 'learn',
          type: 'router',
          strategy: 'success-rate',
          success_rate: { min_samples: 3, seed: 3 },
          cascade: { max_attempts: 1 },
          children: pair('learn', 'issuer_unavailable', 'USD'),
        },
      ],
    },
  };
}

interface Attempt {
  id: string;
  path: string;
  outcome: string;
  code: string | null;
  reason: string;
}

describe('soft-decline cascading and success-rate routing through the gateway', () => {
  const started = gatewayForSuite(pgliteBackend, { tree: cascadingTree() });
  let gateway: Gateway;
  let merchant: MerchantSession;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
  });

  it('retries a soft decline on the next provider: the answer and the events show the chain', async () => {
    const response = await merchant.pay({ currency: 'EUR' }, CARD).expect(201);
    expect(response.body).toMatchObject({ status: 'captured', decline_code: null, route: { path: 'root/chain/chain-good' } });
    const attempts: Attempt[] = response.body.route.attempts;
    expect(attempts).toEqual([
      expect.objectContaining({ path: 'root/chain/chain-soft', outcome: 'declined', code: 'try_again_later', reason: 'rule currency∈[EUR] → chain; priority 1/2 → chain-soft' }),
      expect.objectContaining({
        path: 'root/chain/chain-good',
        outcome: 'approved',
        code: null,
        reason: 'rule currency∈[EUR] → chain; priority 2/2 → chain-good (cascade after chain-soft declined try_again_later)',
      }),
    ]);
    expect(attempts[0]!.id).not.toBe(attempts[1]!.id);

    const events = await merchant.get(`/v1/payments/${response.body.id}/events`).expect(200);
    expect(events.body.data.map((event: { type: string }) => event.type)).toEqual(['payment.created', 'payment.cascaded', 'payment.authorized', 'payment.captured']);
    expect(events.body.data[1]).toMatchObject({
      previous_status: 'pending',
      status: 'pending',
      data: {
        attempt_id: attempts[0]!.id,
        path: 'root/chain/chain-soft',
        code: 'try_again_later',
        next_attempt_id: attempts[1]!.id,
        next_path: 'root/chain/chain-good',
        reason: attempts[1]!.reason,
      },
    });
  });

  it('answers a hard decline at once, without trying anyone else', async () => {
    await gateway.http
      .put('/v1/ops/nodes/chain-soft/market')
      .set(admin)
      .send({ approval_rate: 0, soft_decline_share: 0, hard_codes: ['insufficient_funds'] })
      .expect(200);
    try {
      const response = await merchant.pay({ currency: 'EUR' }, CARD).expect(201);
      expect(response.body).toMatchObject({ status: 'declined', decline_code: 'insufficient_funds', route: { path: 'root/chain/chain-soft' } });
      expect(response.body.route.attempts).toHaveLength(1);
    } finally {
      await gateway.http.delete('/v1/ops/nodes/chain-soft/market').set(admin).expect(200);
    }
  });

  it('cascades do_not_honor only for a merchant that opted in', async () => {
    const refused = await merchant.pay({ currency: 'GBP' }, CARD).expect(201);
    expect(refused.body).toMatchObject({ status: 'declined', decline_code: 'do_not_honor' });
    expect(refused.body.route.attempts).toHaveLength(1);

    const patched = await gateway.http.patch(`/v1/ops/merchants/${merchant.merchantId}`).set(admin).send({ cascade_opt_in: true }).expect(200);
    expect(patched.body).toMatchObject({ id: merchant.merchantId, object: 'merchant', cascade_opt_in: true });
    const cascaded = await merchant.pay({ currency: 'GBP' }, CARD).expect(201);
    expect(cascaded.body).toMatchObject({ status: 'captured', route: { path: 'root/optin/optin-good' } });
    expect(cascaded.body.route.attempts.map((attempt: Attempt) => attempt.code)).toEqual(['do_not_honor', null]);

    await gateway.http.patch(`/v1/ops/merchants/${merchant.merchantId}`).set(admin).send({ cascade_opt_in: 'yes' }).expect(400);
    await gateway.http.patch('/v1/ops/merchants/mer_nobody').set(admin).send({ cascade_opt_in: false }).expect(404);
  });

  it('learns which provider approves: after the cold start, payments go to it first, and the preview shows the rates and the draw', async () => {
    const firstLeg: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const response = await merchant.pay({ currency: 'USD' }, CARD).expect(201);
      expect(response.body.status).toBe('captured');
      firstLeg.push(response.body.route.attempts[0].path);
    }
    // The cold start splits by payment id until each child has 3 outcomes; then the soft one's 0/3 loses every draw.
    expect(firstLeg.filter((path) => path === 'root/learn/learn-soft').length).toBeGreaterThanOrEqual(3);
    expect(firstLeg.slice(-8)).toEqual(Array(8).fill('root/learn/learn-good'));

    const preview = await merchant.post('/v1/routing/preview', { amount: 1000, currency: 'USD', payment_method: { type: 'card' } }, null).expect(200);
    const [first] = preview.body.candidates;
    expect(first.path).toBe('root/learn/learn-good');
    expect(first.reason).toMatch(/^default → learn; success-rate \[all\] (learn-good 0\.\d{3} \(\d+\/\d+\) draw 0\.\d{3}, learn-soft 0\.\d{3} \(0\/\d+\) draw 0\.\d{3}) → learn-good$/);
  });
});
