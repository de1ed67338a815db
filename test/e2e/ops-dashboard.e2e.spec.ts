import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, MerchantSession, startGateway } from '../support/gateway-harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NODES = ['root', 'eu', 'sim-alpha', 'sim-beta', 'us', 'sim-gamma', 'sim-delta', 'global'];
const ARTIFACTS = 'test/artifacts';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.REQUIRE_SERVICES === '1') {
  throw new Error(`Chromium is missing at ${CHROMIUM}, and REQUIRE_SERVICES=1 (install the Debian package "chromium").`);
}

describe.skipIf(!hasChromium)('ops dashboard in a browser', () => {
  let gateway: Gateway;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const problems: string[] = [];
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    const [database, launched] = await Promise.all([
      pgliteBackend.create(),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      }),
    ]);
    browser = launched;
    gateway = await startGateway(database.config);
    await gateway.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = (await gateway.app.getUrl()).replace('[::1]', '127.0.0.1');
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Console errors include CSP violations: the page must work under the gateway's strict CSP.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  const node = (id: string) => page.getByTestId(`node-${id}`);

  it('shows every node of the tree, from the token in the URL fragment', async () => {
    await page.goto(`${baseUrl}/ops#token=${ADMIN_TOKEN}`);
    for (const id of NODES) await expect.poll(() => node(id).getAttribute('data-health')).toBe('up');
    expect(new URL(page.url()).hash, 'the token leaves the address bar').toBe('');
    expect(await page.getByTestId('node-eu').locator('.node-meta').first().textContent()).toContain('weighted');
    // Fault toggles only where the tree offers faults: the leaves, not the routers.
    expect(await page.getByTestId('fault-sim-alpha-down').count()).toBe(1);
    expect(await page.getByTestId('fault-eu-down').count()).toBe(0);
  });

  it('toggles a fault on a leaf and shows its effect on payments live', async () => {
    await page.getByTestId('fault-sim-alpha-down').click();
    await expect.poll(() => node('sim-alpha').getAttribute('data-fault')).toBe('down');
    await expect.poll(() => node('sim-alpha').getAttribute('data-health')).toBe('down');
    await expect.poll(() => node('eu').getAttribute('data-health')).toBe('degraded');
    const tree = (await gateway.http.get('/v1/ops/tree').set(admin).expect(200)).body;
    expect(tree.children[0].children[0]).toMatchObject({ id: 'sim-alpha', fault: { mode: 'down' } });

    // Payments fail over to sim-beta until sim-alpha's breaker opens.
    const merchant = await MerchantSession.create(gateway);
    const alphaBreaker = async () =>
      (await gateway.http.get('/v1/ops/tree').set(admin).expect(200)).body.children[0].children[0].breaker.state as string;
    for (let i = 0; i < 30 && (await alphaBreaker()) !== 'open'; i++) await merchant.pay().expect(201);
    await expect.poll(() => page.getByTestId('node-sim-alpha').textContent(), { timeout: 6_000 }).toContain('breaker open');
    await expect.poll(async () => Number(await page.getByTestId('volume-sim-beta').locator('strong').textContent())).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('payments').textContent()).toContain('sim-alpha failed (provider_unavailable)');
    expect(await page.getByTestId('share-sim-beta').textContent()).toMatch(/\d+%/);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/ops-dashboard.png`, fullPage: true });
    await page.setViewportSize({ width: 420, height: 900 });
    await page.screenshot({ path: `${ARTIFACTS}/ops-dashboard-narrow.png`, fullPage: true });
    await page.setViewportSize({ width: 1400, height: 1000 });

    await page.getByTestId('fault-sim-alpha-off').click();
    await expect.poll(() => node('sim-alpha').getAttribute('data-fault')).toBe('none');
  });

  it('asks for the token when there is none, and refuses a wrong one', async () => {
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${baseUrl}/ops`);
      await fresh.locator('#token').fill('not-the-admin-token');
      await fresh.getByRole('button', { name: 'Open dashboard' }).click();
      await expect.poll(() => fresh.locator('#login-error').textContent()).toContain('refused');
      await fresh.locator('#token').fill(ADMIN_TOKEN);
      await fresh.getByRole('button', { name: 'Open dashboard' }).click();
      await expect.poll(() => fresh.getByTestId('node-global').isVisible()).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it('serves the API docs UI offline, under the same CSP', async () => {
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${baseUrl}/docs`);
    await expect.poll(() => page.locator('.swagger-ui .info .title').textContent()).toContain('Canopy');
    expect(requests.filter((url) => !url.startsWith(baseUrl))).toEqual([]);
  });

  it('logged no errors in the browser console', () => {
    expect(problems).toEqual([]);
  });
});
