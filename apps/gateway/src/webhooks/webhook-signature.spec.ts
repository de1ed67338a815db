import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, verifyWebhook, WebhookVerificationError } from './webhook-signature.js';

// The example of the Standard Webhooks specification (and of its reference libraries' tests).
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

function headersFor(id: string, timestamp: number, signature: string) {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

describe('Standard Webhooks signatures', () => {
  it('matches the specification example', () => {
    expect(signWebhook(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
    const parsed = verifyWebhook({
      secret: SPEC.secret,
      headers: headersFor(SPEC.id, SPEC.timestamp, SPEC.signature),
      body: SPEC.body,
      now: new Date(SPEC.timestamp * 1000 + 10_000),
    });
    expect(parsed).toEqual({ test: 2432232314 });
  });

  it('generates whsec_ secrets of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  describe('verification refuses', () => {
    const secret = generateWebhookSecret();
    const now = new Date();
    const timestamp = Math.floor(now.getTime() / 1000);
    const body = '{"id":"evt_1","type":"payment.captured"}';
    const good = signWebhook(secret, 'evt_1', timestamp, body);
    const verify = (overrides: Partial<{ id: string; timestamp: number; signature: string; body: string; secret: string }>) =>
      verifyWebhook({
        secret: overrides.secret ?? secret,
        headers: headersFor(overrides.id ?? 'evt_1', overrides.timestamp ?? timestamp, overrides.signature ?? good),
        body: overrides.body ?? body,
        now,
      });

    it('accepts the genuine delivery, also among several signatures', () => {
      expect(verify({})).toMatchObject({ id: 'evt_1' });
      expect(verify({ signature: `v1,bm90LXRoaXM= ${good}` })).toMatchObject({ id: 'evt_1' });
    });

    it.each([
      ['a changed body', { body: '{"id":"evt_1","type":"payment.refunded"}' }],
      ['another webhook-id', { id: 'evt_2' }],
      ['another secret', { secret: generateWebhookSecret() }],
      ['a timestamp too old', { timestamp: timestamp - 301 }],
      ['a timestamp too far ahead', { timestamp: timestamp + 301 }],
      ['a malformed signature', { signature: 'v1,' }],
    ])('%s', (_name, overrides) => {
      expect(() => verify(overrides)).toThrow(WebhookVerificationError);
    });

    it('a missing header', () => {
      expect(() => verifyWebhook({ secret, headers: { 'webhook-id': 'evt_1' }, body, now })).toThrow('missing webhook-timestamp');
    });
  });
});
