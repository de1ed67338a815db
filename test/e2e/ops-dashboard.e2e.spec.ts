import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRISMA, type PrismaClient } from '#persistence';
import { pgliteBackend } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, MerchantSession, startGateway } from '../support/gateway-harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NODES = ['root', 'eu', 'sim-alpha', 'sim-beta', 'us', 'sim-gamma', 'sim-delta', 'global'];
const ARTIFACTS = 'test/artifacts';
const CHALLENGE_CARD = '4000000000003220';
const MARKUP = '<img src=x onerror=alert(1)>';
const DECLINED_CARD = '4000000000000002';
const ROUTERS = { root: ['eu', 'us', 'global'], eu: ['sim-alpha', 'sim-beta'], us: ['sim-gamma', 'sim-delta'] };
const CHART_KINDS = ['share', 'approval'] as const;
/** Longer than the page's refresh interval (2 s): the next poll has come and drawn. */
const NEXT_POLL = { timeout: 6_000 };

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

  it('shows provider notifications, unmatched ones highlighted, as text', async () => {
    const prisma = gateway.app.get<PrismaClient>(PRISMA);
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000);
    const row = (id: string, result: string, detail: string, secondsAgo: number, extra: object = {}) => ({
      id,
      nodeId: 'sim-alpha',
      eventId: `evt_${id}`,
      kind: 'captured',
      paymentId: `pay_${id}`,
      refundId: null,
      result,
      detail,
      fact: { kind: 'captured' },
      receivedAt: at(secondsAgo),
      lastSeenAt: at(secondsAgo),
      ...extra,
    });
    await prisma.providerNotification.createMany({
      data: [
        row('ntf_e2e_applied', 'applied', 'pending → captured', 30, { duplicates: 2, lastSeenAt: at(5) }),
        row('ntf_e2e_ignored', 'ignored', 'already captured', 20),
        row('ntf_e2e_unmatched', 'unmatched', `captured does not fit voided ${MARKUP}`, 10, { nodeId: `node ${MARKUP}`, paymentId: null }),
      ],
    });

    const fact = (id: string) => page.getByTestId(`notification-${id}`);
    await expect.poll(() => fact('ntf_e2e_unmatched').getAttribute('data-result')).toBe('unmatched');
    const rows = page.getByTestId('notifications').locator('tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')))).toEqual([
      'notification-ntf_e2e_unmatched',
      'notification-ntf_e2e_ignored',
      'notification-ntf_e2e_applied',
    ]);
    expect(await fact('ntf_e2e_unmatched').getByTestId('detail').textContent()).toBe(`captured does not fit voided ${MARKUP}`);
    expect(await fact('ntf_e2e_unmatched').textContent()).toContain(`node ${MARKUP}`);
    expect(await page.getByTestId('notifications').locator('img').count(), 'markup in facts stays text').toBe(0);
    const background = (id: string) => fact(id).locator('td').first().evaluate((td) => getComputedStyle(td).backgroundColor);
    expect(await fact('ntf_e2e_unmatched').getAttribute('class')).toContain('unmatched');
    expect(await background('ntf_e2e_unmatched')).not.toBe(await background('ntf_e2e_applied'));
    expect(await fact('ntf_e2e_applied').textContent()).toContain('+2 dup');

    await expect.poll(() => page.getByTestId('notification-count-unmatched').textContent()).toBe('unmatched 1');
    expect(await page.getByTestId('notification-count-applied').textContent()).toBe('applied 1');
    expect(await page.getByTestId('notification-count-duplicates').textContent()).toBe('duplicates 2');
  });

  it('shows a payment waiting for its shopper', async () => {
    const merchant = await MerchantSession.create(gateway);
    const created = await merchant.pay({ return_url: 'https://shop.example/done' }, CHALLENGE_CARD).expect(201);
    expect(created.body.status).toBe('requires_action');
    const payment = page.getByTestId(`payment-${created.body.id}`);
    await expect.poll(() => payment.getAttribute('data-status')).toBe('requires_action');
    expect(await payment.getByTestId('status').textContent()).toBe('requires action');
    expect(await payment.getByTestId('status').getAttribute('class')).toContain('action');
    expect(await payment.getByTestId('status-note').textContent()).toContain('waiting for the shopper');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/ops-dashboard-notifications.png`, fullPage: true });
  });

  it("charts each router's traffic share and approval rate per child, and redraws them after payments", async () => {
    const chart = (kind: string, router: string) => page.locator(`[data-chart="${kind}"][data-router="${router}"]`);
    const drawnAttempts = async (kind: string, router: string) => Number(await chart(kind, router).getAttribute('data-attempts'));
    const pixels = (kind: string, router: string) => chart(kind, router).locator('canvas').evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL());
    const apiAttempts = async (router: string) => {
      const body = (await gateway.http.get('/v1/ops/routing/series').set(admin).expect(200)).body;
      const found = body.routers.find((candidate: { id: string }) => candidate.id === router);
      return found.children.reduce((sum: number, child: { attempts: number[] }) => sum + child.attempts.reduce((a, b) => a + b, 0), 0) as number;
    };

    // The chart library comes from the gateway itself (its npm package), like everything the page loads.
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
    expect(loaded).toContain(`${baseUrl}/ops/uPlot.iife.min.js`);
    expect(loaded.filter((url) => !url.startsWith(baseUrl))).toEqual([]);
    expect(await page.locator('[data-chart]').count()).toBe(Object.keys(ROUTERS).length * CHART_KINDS.length);
    for (const [router, children] of Object.entries(ROUTERS)) {
      for (const kind of CHART_KINDS) {
        await expect.poll(() => chart(kind, router).locator('canvas').count()).toBe(1);
        const box = await chart(kind, router).locator('canvas').boundingBox();
        expect(box?.width).toBeGreaterThan(100);
        expect(box?.height).toBeGreaterThan(50);
        const legend = await chart(kind, router).locator('.u-legend .u-series').allTextContents();
        expect(legend.map((label) => label.trim())).toEqual(children);
      }
    }
    // The charts draw what the API counts (the earlier tests' payments, all in EUR through eu).
    const rootBefore = await apiAttempts('root');
    expect(rootBefore).toBeGreaterThan(0);
    await expect.poll(() => drawnAttempts('share', 'root'), NEXT_POLL).toBe(rootBefore);
    await expect.poll(() => drawnAttempts('approval', 'root'), NEXT_POLL).toBe(rootBefore);
    expect(await drawnAttempts('share', 'us')).toBe(0);
    expect(Number(await chart('share', 'us').getAttribute('data-points'))).toBe(0);
    const before = { share: await pixels('share', 'root'), approval: await pixels('approval', 'root') };

    // USD payments go to us, which had none: root's charts gain its share and approval rate (1 in 4).
    const merchant = await MerchantSession.create(gateway);
    for (const card of [DECLINED_CARD, DECLINED_CARD, DECLINED_CARD, '4242424242424242']) await merchant.pay({ currency: 'USD' }, card).expect(201);
    for (const kind of CHART_KINDS) {
      await expect.poll(() => drawnAttempts(kind, 'root'), NEXT_POLL).toBe(rootBefore + 4);
      await expect.poll(() => drawnAttempts(kind, 'us'), NEXT_POLL).toBe(4);
      expect(Number(await chart(kind, 'us').getAttribute('data-points'))).toBeGreaterThan(0);
    }
    expect(await pixels('share', 'root'), 'the share chart was redrawn with new data').not.toBe(before.share);
    expect(await pixels('approval', 'root'), 'the approval chart was redrawn with new data').not.toBe(before.approval);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.getByTestId('routing').screenshot({ path: `${ARTIFACTS}/ops-dashboard-routing.png` });
    // Narrow screens: the charts shrink with their panel instead of widening the page.
    await page.setViewportSize({ width: 420, height: 900 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    const panel = await page.getByTestId('routing').boundingBox();
    for (const router of Object.keys(ROUTERS)) {
      const box = await chart('share', router).locator('canvas').boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(panel!.x + panel!.width);
    }
    await page.screenshot({ path: `${ARTIFACTS}/ops-dashboard-routing-narrow.png`, fullPage: true });
    await page.setViewportSize({ width: 1400, height: 1000 });
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
