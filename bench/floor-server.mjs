#!/usr/bin/env node
// The floor: a bare node:http server doing, per POST /v1/payments, exactly the writes the gateway
// does (floor/payment-writes.mjs) on PostgreSQL (DATABASE_URL, pg) or PGlite (CANOPY_DATA_DIR).
// No framework, no ORM, no validation library. The gateway's own cost is what it adds on top.
// Seeds one merchant at start and prints `floor listening on http://127.0.0.1:<port> key=<api key>`.
import http from 'node:http';
import { driverFromEnv } from './floor/drivers.mjs';
import { FloorError, createPayment, seedMerchant } from './floor/payment-writes.mjs';

const port = Number(process.env.PORT ?? 3100);
const db = await driverFromEnv();
const { apiKey } = await seedMerchant(db);

const server = http.createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  if (request.method !== 'POST' || request.url !== '/v1/payments') {
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found"}}');
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    void (async () => {
      try {
        let body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          throw new FloorError(400, 'invalid_json', 'The body is not valid JSON.');
        }
        const result = await createPayment(db, {
          authorization: request.headers.authorization,
          idempotencyKey: request.headers['idempotency-key'],
          body,
        });
        const headers = { 'content-type': 'application/json; charset=utf-8' };
        if (result.replayed) headers['idempotent-replayed'] = 'true';
        response.writeHead(result.status, headers).end(result.body);
      } catch (error) {
        const status = error instanceof FloorError ? error.status : 500;
        const code = error instanceof FloorError ? error.code : 'internal_error';
        if (status === 500) console.error(error);
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message: error.message } }));
      }
    })();
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`floor listening on http://127.0.0.1:${server.address().port} key=${apiKey}`);
});

const shutdown = () => {
  server.close(() => void db.close().finally(() => process.exit(0)));
  server.closeAllConnections();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
