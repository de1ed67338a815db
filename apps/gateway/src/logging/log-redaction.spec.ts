import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';
import { redactSecretFields, scrubSecrets } from './log-redaction.js';

const CARD = '4242424242424242';
const API_KEY = 'sk_test_Zx9rT2bQ1mWv8Lk3Hn5Jd7Fp0Gs4Ac6Ye8Ui2Oo4Pq';
const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ADMIN_TOKEN = 'adm_super_secret_admin_token';

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'trace', secrets: [ADMIN_TOKEN], destination });
  return { logger, text: () => lines.join('') };
}

describe('log redaction, configured once in the logger', () => {
  it('redacts secret fields by name at any depth, and request headers', () => {
    const { logger, text } = capturingLogger();
    logger.info(
      {
        req: { headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' } },
        body: { payment_method: { card: { number: CARD, cvc: '7391', exp_month: 12 } } },
        endpoint: { secret: WEBHOOK_SECRET },
        api_key: API_KEY,
      },
      'structured',
    );
    const logged = text();
    expect(logged).toContain('application/json');
    expect(logged).toContain('"exp_month":12');
    for (const secret of [CARD, '7391', API_KEY, WEBHOOK_SECRET]) expect(logged).not.toContain(secret);
  });

  it('masks secrets inside free text: messages, error messages and stacks', () => {
    const { logger, text } = capturingLogger();
    logger.warn(`charging ${CARD} with key ${API_KEY}, admin ${ADMIN_TOKEN}, hook ${WEBHOOK_SECRET}`);
    logger.error({ err: new Error(`card 4242 4242 4242 4242 refused for ${API_KEY}`) }, 'failed');
    logger.error({ stack: `Error: token Bearer ${ADMIN_TOKEN}` }, 'nest style');
    const logged = text();
    for (const secret of [CARD, '4242 4242 4242 4242', API_KEY, ADMIN_TOKEN, WEBHOOK_SECRET]) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).toContain('sk_test_[redacted]');
    expect(logged).toContain('[card number]');
  });

  it('leaves ids, amounts and non-card digit runs alone', () => {
    expect(scrubSecrets('pay_abc amount 1000 ts 1795640634825 order 4242424242424241')).toBe(
      'pay_abc amount 1000 ts 1795640634825 order 4242424242424241',
    );
  });

  it('redacts secret fields in one pass, inside lists and bindings too, without changing the logged object', () => {
    const logged = { payment: { attempts: [{ card: { number: CARD } }, { id: 'att_1' }] }, token: 'tok_1', level1: { level2: { level3: { cvc: '123' } } } };
    const before = JSON.stringify(logged);
    const redacted = redactSecretFields(logged);
    expect(JSON.stringify(logged)).toBe(before);
    expect(redacted).toEqual({ payment: { attempts: [{ card: { number: '[redacted]' } }, { id: 'att_1' }] }, token: '[redacted]', level1: { level2: { level3: { cvc: '[redacted]' } } } });
    const clean = { id: 'pay_1', nested: { amount: 1000 } };
    expect(redactSecretFields(clean)).toBe(clean);

    const { logger, text } = capturingLogger();
    logger.child({ secret: WEBHOOK_SECRET, merchant: { api_key: API_KEY } }).info({ list: [{ password: 'hunter22' }] }, 'child');
    for (const secret of [WEBHOOK_SECRET, API_KEY, 'hunter22']) expect(text()).not.toContain(secret);
  });
});
