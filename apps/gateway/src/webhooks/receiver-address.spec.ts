import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../../../../test/support/webhook-receiver.js';
import { isPublicAddress, publicOnlyLookup, refusedHost } from './receiver-address.js';
import { sendWebhook } from './webhook-sender.js';

describe('where webhooks may go', () => {
  it('allows public unicast addresses only', () => {
    for (const address of ['8.8.8.8', '2606:4700::1111', '93.184.216.34']) expect(isPublicAddress(address), address).toBe(true);
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.9', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '224.0.0.1', 'not-an-ip']) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it('refuses loopback, private and metadata hosts written in the URL, before any lookup', () => {
    expect(refusedHost(new URL('http://localhost:8080/hook'))).toContain('this machine');
    expect(refusedHost(new URL('http://api.localhost/hook'))).toContain('this machine');
    expect(refusedHost(new URL('http://169.254.169.254/latest/meta-data'))).toContain('not a public address');
    expect(refusedHost(new URL('http://[::1]:9000/'))).toContain('not a public address');
    expect(refusedHost(new URL('http://[::ffff:10.0.0.1]/'))).toContain('not a public address');
    expect(refusedHost(new URL('https://hooks.example.com/canopy'))).toBeNull();
    expect(refusedHost(new URL('https://8.8.8.8/canopy'))).toBeNull();
  });

  it('filters what a name resolves to, so a name pointing inside is refused at connect time', async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => publicOnlyLookup('localhost', { all: true }, (failure) => resolve(failure)));
    expect(error).toMatchObject({ code: 'ENOTPUBLIC', message: expect.stringContaining('resolves to no public address') });
  });

  describe('delivery', () => {
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      receiver = await WebhookReceiver.start();
    });
    afterAll(() => receiver.close());

    const webhook = () => ({ url: receiver.url, id: 'evt_1', timestampSeconds: 1, signature: 'v1,x', body: '{}' });

    it('never connects to a private receiver unless private networks are allowed', async () => {
      expect(await sendWebhook(webhook(), { timeoutMs: 1_000, allowPrivateNetworks: false })).toEqual({
        kind: 'retry',
        status: null,
        error: 'refused: 127.0.0.1 is not a public address',
      });
      expect(receiver.received).toHaveLength(0);
      expect(await sendWebhook(webhook(), { timeoutMs: 1_000, allowPrivateNetworks: true })).toEqual({ kind: 'delivered', status: 200 });
      expect(receiver.received).toHaveLength(1);
    });

    it('classifies 410 as gone and other answers as retries', async () => {
      receiver.answer([410, 503]);
      const options = { timeoutMs: 1_000, allowPrivateNetworks: true };
      expect(await sendWebhook(webhook(), options)).toEqual({ kind: 'gone', status: 410 });
      expect(await sendWebhook(webhook(), options)).toEqual({ kind: 'retry', status: 503, error: 'receiver answered 503' });
    });

    it('gives up on a receiver that does not answer in time', async () => {
      receiver.answer(['hang']);
      expect(await sendWebhook(webhook(), { timeoutMs: 200, allowPrivateNetworks: true })).toEqual({ kind: 'retry', status: null, error: 'no answer within 200 ms' });
    });
  });
});
