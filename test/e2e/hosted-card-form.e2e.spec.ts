import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../support/databases.js';
import { type Gateway, MerchantSession, paymentBody, startGateway } from '../support/gateway-harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CARD = '4242424242424242';
const NOT_LUHN = '4242424242424241';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.REQUIRE_SERVICES === '1') {
  throw new Error(`Chromium is missing at ${CHROMIUM}, and REQUIRE_SERVICES=1 (install the Debian package "chromium").`);
}

interface Received {
  origin: string;
  data: { type?: string; token?: { id: string; card: Record<string, unknown> }; error?: { code: string; message: string } };
}

/**
 * A merchant's checkout page on its own origin: it frames the card form (`/?form=<url>`) and
 * records every message it receives, with the sender's origin, in `window.received`. Inline script
 * is fine here: this page is the merchant's, not under the gateway's policy.
 */
async function startMerchantSite(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const form = new URL(request.url ?? '/', 'http://merchant.invalid').searchParams.get('form') ?? '';
    const src = form.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<script>
  window.received = [];
  window.addEventListener('message', (event) => window.received.push({ origin: event.origin, data: event.data }));
</script></head>
<body><h1>Checkout</h1><iframe id="card-frame" title="Card details" src="${src}" width="480" height="260"></iframe></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe.skipIf(!hasChromium)('hosted card form in a browser', () => {
  let gateway: Gateway;
  let browser: Browser;
  let gatewayOrigin: string;
  let shop: Awaited<ReturnType<typeof startMerchantSite>>;
  let otherSite: Awaited<ReturnType<typeof startMerchantSite>>;
  let merchant: MerchantSession;

  beforeAll(async () => {
    const [database, launched, site, other] = await Promise.all([
      pgliteBackend.create(),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      }),
      startMerchantSite(),
      startMerchantSite(),
    ]);
    browser = launched;
    shop = site;
    otherSite = other;
    gateway = await startGateway(database.config);
    await gateway.app.listen({ port: 0, host: '127.0.0.1' });
    gatewayOrigin = (await gateway.app.getUrl()).replace('[::1]', '127.0.0.1');
    merchant = await MerchantSession.create(gateway, 'Shop', [shop.origin]);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await shop?.close();
    await otherSite?.close();
  });

  const formUrl = (origin: string, key = merchant.publishableKey) =>
    `${gatewayOrigin}/elements/card?key=${encodeURIComponent(key)}&origin=${encodeURIComponent(origin)}`;

  /** A fresh tab on `site` framing the form; `problems` collects console errors (CSP violations among them) of every frame. */
  async function openCheckout(site: { origin: string }, form: string) {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${site.origin}/?form=${encodeURIComponent(form)}`);
    return { page, problems, requests, frame: page.frameLocator('#card-frame') };
  }

  const received = (page: Page) => page.evaluate(() => (window as unknown as { received: Received[] }).received);

  it('tokenizes the card in the frame, hands only the token to the page, and the token pays once', async () => {
    const { page, problems, requests, frame } = await openCheckout(shop, formUrl(shop.origin));
    try {
      await frame.getByLabel('Card number').fill('4242 4242 4242 4242');
      await frame.getByLabel('Expiry (MM/YY)').fill('12/30');
      await frame.getByLabel('Security code (CVC)').fill('123');
      await frame.getByTestId('card-submit').click();

      await expect.poll(async () => (await received(page)).length).toBe(1);
      const [message] = await received(page);
      expect(message!.origin).toBe(gatewayOrigin);
      expect(message!.data).toEqual({
        type: 'canopy.token',
        token: { id: expect.stringMatching(/^tok_/), card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 } },
      });
      expect(JSON.stringify(message)).not.toContain('424242424242');

      // The card stays nowhere in the frame: not in its fields, its storage or any URL.
      expect(await frame.getByLabel('Card number').inputValue()).toBe('');
      expect(await frame.getByLabel('Security code (CVC)').inputValue()).toBe('');
      expect(await frame.getByTestId('card-status').textContent()).toContain('4242');
      const formFrame = page.frames().find((f) => f.url().startsWith(`${gatewayOrigin}/elements/card`))!;
      expect(await formFrame.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
      expect(requests.filter((url) => url.includes('4242424242'))).toEqual([]);
      // Works offline: nothing is fetched from anywhere but the two origins.
      expect(requests.filter((url) => !url.startsWith(gatewayOrigin) && !url.startsWith(shop.origin))).toEqual([]);

      const token = message!.data.token!;
      const payment = await merchant.post('/v1/payments', paymentBody({ payment_method: token.id })).expect(201);
      expect(payment.body).toMatchObject({ status: 'captured', payment_method: { card: { last4: '4242', brand: 'visa' } } });
      const again = await merchant.post('/v1/payments', paymentBody({ payment_method: token.id })).expect(400);
      expect(again.body.error).toMatchObject({ code: 'token_already_used', param: 'payment_method' });

      expect(problems, 'no console errors (CSP violations) on the happy path').toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("shows the API's refusal of an invalid number inside the form and hands no token out", async () => {
    const { page, frame } = await openCheckout(shop, formUrl(shop.origin));
    try {
      await frame.getByLabel('Card number').fill(NOT_LUHN);
      await frame.getByLabel('Expiry (MM/YY)').fill('12/30');
      await frame.getByLabel('Security code (CVC)').fill('123');
      await frame.getByTestId('card-submit').click();

      await expect.poll(() => frame.getByTestId('card-error').textContent()).toBe('The card number is not a valid card number.');
      expect(await frame.getByLabel('Card number').getAttribute('aria-invalid')).toBe('true');
      await expect.poll(async () => (await received(page)).length).toBe(1);
      const messages = await received(page);
      expect(messages.map((m) => m.data)).toEqual([
        { type: 'canopy.error', error: { code: 'invalid_card_number', message: 'The card number is not a valid card number.' } },
      ]);
      expect(JSON.stringify(messages)).not.toContain(NOT_LUHN);

      // A malformed expiry is caught before anything is sent.
      await frame.getByLabel('Card number').fill(CARD);
      await frame.getByLabel('Expiry (MM/YY)').fill('13/30');
      await frame.getByTestId('card-submit').click();
      await expect.poll(() => frame.getByTestId('card-error').textContent()).toBe('Enter the expiry date as MM/YY.');
      expect((await received(page)).some((m) => m.data.type === 'canopy.token')).toBe(false);
    } finally {
      await page.close();
    }
  });

  it('cannot be embedded by a page of an origin the merchant did not allow', async () => {
    // Claiming the allowed origin: the browser enforces frame-ancestors against the real parent.
    const lying = await openCheckout(otherSite, formUrl(shop.origin));
    // Naming its own origin: the gateway answers an error page that nothing may frame.
    const honest = await openCheckout(otherSite, formUrl(otherSite.origin));
    try {
      for (const { page, frame, problems } of [lying, honest]) {
        await expect.poll(() => problems.some((text) => text.includes('frame-ancestors'))).toBe(true);
        expect(await frame.getByTestId('card-number').count()).toBe(0);
        expect(await received(page)).toEqual([]);
      }
    } finally {
      await lying.page.close();
      await honest.page.close();
    }
  });

  it('lets only the merchant origin frame the page, and answers an error page that cannot be framed otherwise', async () => {
    const page = await gateway.http.get(`/elements/card?key=${merchant.publishableKey}&origin=${shop.origin}`).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain(`frame-ancestors ${shop.origin}`);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy'].match(/frame-ancestors/g)).toHaveLength(1);
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(page.text).toContain(`data-parent-origin="${shop.origin}"`);

    const refusals: [string, number, string][] = [
      [`key=${merchant.publishableKey}&origin=${otherSite.origin}`, 403, 'may not embed this card form'],
      [`key=${merchant.publishableKey}&origin=*`, 400, 'must be an origin'],
      [`key=${merchant.publishableKey}`, 400, 'needs the origin'],
      [`key=pk_test_unknown&origin=${shop.origin}`, 403, 'unknown or revoked'],
      [`key=${merchant.apiKey}&origin=${shop.origin}`, 403, 'This is a secret key'],
    ];
    for (const [query, status, text] of refusals) {
      const refused = await gateway.http.get(`/elements/card?${query}`).expect(status);
      expect(refused.headers['content-type']).toContain('text/html');
      expect(refused.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(refused.text).toContain(text);
      expect(refused.text).not.toContain(merchant.apiKey);
      expect(refused.text).not.toContain('data-publishable-key');
    }
  });

  it('refuses parameters it does not take with the API error, as every route does', async () => {
    for (const query of [`key=${merchant.publishableKey}&origin=${shop.origin}&theme=dark`, `key=a&key=b&origin=${shop.origin}`]) {
      const refused = await gateway.http.get(`/elements/card?${query}`).expect(400);
      expect(refused.body.error).toMatchObject({ type: 'invalid_request_error' });
    }
  });

  it('serves its script and style as files, and nothing else', async () => {
    const script = await gateway.http.get('/elements/card-form.js').expect(200);
    expect(script.headers['content-type']).toContain('text/javascript');
    expect(script.text).toContain('canopy.token');
    expect(script.text, 'messages go to the one framing origin, never to "*"').not.toMatch(/postMessage\([^)]*['"]\*['"]/);
    await gateway.http.get('/elements/card-form.css').expect(200).expect('content-type', /text\/css/);
    await gateway.http.get('/elements/card-form.html').expect(404);
    await gateway.http.get('/elements/..%2Fpackage.json').expect(404);
  });
});
