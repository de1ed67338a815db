import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PrismaClient } from '#persistence';
import { isLuhnValid } from '#gateway-spi';
import { PRISMA } from '#persistence';
import { WebhookDispatcher } from '../../apps/gateway/src/webhooks/index.js';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, gatewayForSuite, MerchantSession, paymentBody } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const CARDS = ['4242424242424242', '5555555555554444', '4000000000000002', '4000000000000119', '4000000000000101'];
// A leading zero keeps it from standing alone as a JSON number (a pid, a port); ids and hashes that
// merely contain the digits are not matches: only a standalone token counts.
const CVC = '0917';
const standaloneCvc = new RegExp(`(?<![0-9A-Za-z.])${CVC}(?![0-9A-Za-z])`);

/** Every Luhn-valid run of 13–19 digits standing alone in `text` (not inside a hex hash or an id). */
function cardNumbersIn(text: string): string[] {
  return [...text.matchAll(/(?<![0-9A-Za-z])\d{13,19}(?![0-9A-Za-z])/g)].map((m) => m[0]).filter(isLuhnValid);
}

/** Every row of every table, as JSON lines. */
async function dumpTables(prisma: PrismaClient): Promise<string> {
  const tables = await prisma.$queryRaw<{ table_name: string }[]>`
    SELECT table_name::text FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`;
  expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['payments', 'attempts', 'idempotency_records', 'vault_cards']));
  let dump = '';
  for (const { table_name } of tables) {
    const rows = await prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
    dump += rows.map((r) => r.row).join('\n') + '\n';
  }
  return dump;
}

describe.each(await testBackends())('card data on $name', (backend) => {
  const written: string[] = [];

  // Registered before the gateway starts, so its start-up lines are captured too.
  beforeAll(() => {
    const capture = (stream: NodeJS.WriteStream) => {
      const original = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      });
    };
    capture(process.stdout);
    capture(process.stderr);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });
  const started = gatewayForSuite(backend, { logger: ['log', 'warn', 'error', 'debug', 'verbose'] });

  it('never stores or logs a full card number or the CVC', async () => {
    const gateway = started();
    const merchant = await MerchantSession.create(gateway);
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    for (const currency of ['EUR', 'USD']) {
      for (const number of CARDS) {
        const body = paymentBody({ currency, capture: number !== '5555555555554444' }, number);
        (body.payment_method.card as { cvc: string }).cvc = CVC;
        const payment = await merchant.post('/v1/payments', body).expect(201);
        if (payment.body.status === 'authorized') {
          await merchant.post(`/v1/payments/${payment.body.id}/capture`, { amount: 500 }).expect(200);
          await merchant.post(`/v1/payments/${payment.body.id}/refunds`, { amount: 100 }).expect(201);
        }
      }
    }
    await gateway.http.put('/v1/ops/nodes/sim-gamma/faults').set(admin).send({ mode: 'timeout' }).expect(200);
    await merchant.pay({ currency: 'USD' }).expect(201);
    await gateway.http.delete('/v1/ops/nodes/sim-gamma/faults').set(admin).expect(200);
    await merchant.pay({}, '4242424242424241').expect(400);

    const dump = await dumpTables(gateway.app.get<PrismaClient>(PRISMA));
    expect(dump).toContain('424242');
    expect(cardNumbersIn(dump)).toEqual([]);
    for (const number of CARDS) expect(dump).not.toContain(number);
    expect(dump).not.toMatch(standaloneCvc);

    const logs = written.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(cardNumbersIn(logs)).toEqual([]);
    for (const number of CARDS) expect(logs).not.toContain(number);
    expect(logs).not.toMatch(standaloneCvc);
  });

  it('never answers, stores or logs the number of a card in the vault, nor its CVC', async () => {
    const gateway = started();
    const merchant = await MerchantSession.create(gateway);
    const answers: unknown[] = [];
    const keep = <T extends { body: unknown }>(answer: T) => {
      answers.push(answer.body);
      return answer;
    };
    const tokenize = async (number: string) =>
      keep(
        await gateway.http
          .post('/v1/tokens')
          .set('authorization', `Bearer ${merchant.publishableKey}`)
          .send({ card: { number, exp_month: 12, exp_year: 2030, cvc: CVC } })
          .expect(201),
      ).body.id as string;
    const customer = keep(await merchant.post('/v1/customers', { email: 'shopper@example.com' }, null).expect(201)).body.id as string;
    for (const [index, number] of CARDS.entries()) {
      const currency = index % 2 === 0 ? 'EUR' : 'USD';
      const first = keep(await merchant.post('/v1/payments', { amount: 1000, currency, payment_method: await tokenize(number), customer, setup_future_usage: 'off_session' }).expect(201));
      const method = (first.body as { payment_method: { id: string | null } }).payment_method.id;
      if (method) keep(await merchant.post('/v1/payments', { amount: 500, currency, payment_method: method, off_session: true }).expect(201));
      keep(await merchant.post('/v1/payment_methods', { token: await tokenize(number), customer }, null).expect(201));
    }
    keep(await merchant.get(`/v1/customers/${customer}/payment_methods`).expect(200));
    keep(await merchant.get('/v1/payments?limit=50').expect(200));

    const answered = JSON.stringify(answers);
    expect(answered).toContain('4242');
    for (const number of CARDS) expect(answered).not.toContain(number);
    expect(cardNumbersIn(answered)).toEqual([]);
    expect(answered).not.toMatch(standaloneCvc);

    const prisma = gateway.app.get<PrismaClient>(PRISMA);
    expect(await prisma.vaultCard.count()).toBeGreaterThanOrEqual(CARDS.length * 2);
    const dump = await dumpTables(prisma);
    expect(dump).toContain('sealed');
    // The schemes' network transaction ids are 15-digit numbers too (the simulator's pass the Luhn check one time in ten).
    const networkIds = new Set(
      (await prisma.$queryRaw<{ id: string }[]>`SELECT network_transaction_id AS id FROM payments WHERE network_transaction_id IS NOT NULL`).map((row) => row.id),
    );
    expect(networkIds.size).toBeGreaterThan(0);
    for (const number of CARDS) {
      expect(dump).not.toContain(number);
      expect(dump).not.toContain(Buffer.from(number).toString('base64'));
    }
    expect(cardNumbersIn(dump).filter((number) => !networkIds.has(number))).toEqual([]);
    const logs = written.join('');
    for (const number of CARDS) expect(logs).not.toContain(number);
    expect(logs).not.toMatch(standaloneCvc);
  });

  it('never logs API keys, the admin token or webhook secrets, and never stores an API key', async () => {
    const gateway = started();
    const receiver = await WebhookReceiver.start();
    try {
      const merchant = await MerchantSession.create(gateway);
      const endpoint = await merchant
        .post('/v1/webhook_endpoints', { url: receiver.url, events: ['payment.authorized', 'payment.captured'] }, null)
        .expect(201);
      const secret: string = endpoint.body.secret;
      receiver.answer([500]);
      await merchant.pay().expect(201);
      await merchant.get('/v1/webhook_endpoints').expect(200);
      await gateway.http.get('/v1/payments').set('authorization', `Bearer ${merchant.apiKey}x`).expect(401);
      const dispatcher = gateway.app.get(WebhookDispatcher);
      await dispatcher.dispatchDue();
      await dispatcher.dispatchDue(new Date(Date.now() + 60_000));
      expect(receiver.received.length).toBeGreaterThanOrEqual(3);

      const logs = written.join('');
      // Requests were logged, with their headers, and the credentials in them masked.
      expect(logs).toContain('"authorization":"[redacted]"');
      for (const leaked of [merchant.apiKey, merchant.apiKey.slice(8), ADMIN_TOKEN, secret, secret.slice(6)]) {
        expect(logs).not.toContain(leaked);
      }
      const prisma = gateway.app.get<PrismaClient>(PRISMA);
      const keys = await prisma.$queryRaw<{ row: string }[]>`SELECT row_to_json(k)::text AS row FROM api_keys k`;
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.map((k) => k.row).join('\n')).not.toContain(merchant.apiKey.slice(12));
    } finally {
      await receiver.close();
    }
  });
});
