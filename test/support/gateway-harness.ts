import type { LogLevel } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { afterAll, beforeAll } from 'vitest';
import { adapterCatalog } from '#adapter-catalog';
import { buildTree, type Tree } from '#orchestration';
import { remoteNodeType } from '#remote';
import type { DatabaseConfig } from '#persistence';
import type { GatewayConfig } from '../../apps/gateway/src/config/gateway-config.js';
import { createGatewayApp } from '../../apps/gateway/src/create-gateway-app.js';
import type { TestBackend } from './databases.js';
import { testTreeConfig } from './test-tree.js';

export const ADMIN_TOKEN = 'adm_test_token_0123456789abcdef';
/** The vault's key-encryption key of test gateways (CANOPY_VAULT_KEY). */
export const TEST_VAULT_KEY = Buffer.from('Y2Fub3B5LXRlc3QtdmF1bHQta2V5LTMyLWJ5dGVzISE=', 'base64');

export interface Gateway {
  app: NestFastifyApplication;
  tree: Tree;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** One gateway instance on `database`, with its own tree (its own in-memory provider sandboxes). */
export async function startGateway(
  database: DatabaseConfig,
  treeConfig: unknown = testTreeConfig(),
  logger: LogLevel[] = ['error'],
  overrides: Partial<GatewayConfig> = {},
): Promise<Gateway> {
  // Remote subtrees are allowed: their node-hosts are started by the suite (or are meant to be missing).
  const tree = buildTree(treeConfig, adapterCatalog, { nodeTypes: [remoteNodeType()] });
  const config: GatewayConfig = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.databaseUrl,
    dataDir: database.dataDir ?? 'memory://',
    treeFile: '(test)',
    adminToken: ADMIN_TOKEN,
    adminTokenGenerated: false,
    requestTimeoutMs: 5_000,
    // Tests drive the dispatcher with dispatchDue(); limits are tested with their own gateway.
    webhooks: { intervalMs: 0, timeoutMs: 2_000, allowPrivateNetworks: true },
    rateLimit: { limit: 0, opsLimit: 0, windowMs: 1_000 },
    vault: { key: TEST_VAULT_KEY, tokenTtlMs: 15 * 60_000 },
    logLevel: 'error',
    ...overrides,
  };
  const app = await createGatewayApp({ config, tree, logger });
  return { app, tree, http: request(app.getHttpServer()), close: () => app.close() };
}

/**
 * Starts a gateway on a fresh database of `backend` before the suite's tests and stops it (and
 * drops the database) after them. Returns an accessor for use inside hooks and tests.
 */
export interface SuiteGatewayOptions {
  tree?: unknown;
  logger?: LogLevel[];
  config?: Partial<GatewayConfig>;
}

export function gatewayForSuite(backend: TestBackend, options: SuiteGatewayOptions = {}): () => Gateway {
  let gateway: Gateway | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const database = await backend.create();
    drop = database.drop;
    gateway = await startGateway(database.config, options.tree, options.logger, options.config);
  });
  afterAll(async () => {
    await gateway?.close();
    await drop?.();
  });
  return () => {
    if (!gateway) throw new Error('the suite gateway is not started yet (use it inside hooks and tests)');
    return gateway;
  };
}

/** A merchant's view of a gateway: every call authenticated with its API key. */
export class MerchantSession {
  private keySeq = 0;

  constructor(
    readonly gateway: Gateway,
    readonly merchantId: string,
    readonly apiKey: string,
    readonly publishableKey = '',
  ) {}

  static async create(gateway: Gateway, name = 'Test merchant', allowedOrigins?: string[]): Promise<MerchantSession> {
    const response = await gateway.http
      .post('/v1/ops/merchants')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ name, ...(allowedOrigins && { allowed_origins: allowedOrigins }) })
      .expect(201);
    return new MerchantSession(gateway, response.body.id, response.body.api_key, response.body.publishable_key);
  }

  /** The same merchant on another gateway instance (same database). */
  on(gateway: Gateway): MerchantSession {
    return new MerchantSession(gateway, this.merchantId, this.apiKey, this.publishableKey);
  }

  /** Tokenizes a card with the publishable key, as a browser would; answers the token id. */
  async tokenize(card = '4242424242424242', cvc = '123'): Promise<string> {
    const response = await this.gateway.http
      .post('/v1/tokens')
      .set('authorization', `Bearer ${this.publishableKey}`)
      .send({ card: { number: card, exp_month: 12, exp_year: 2030, cvc } })
      .expect(201);
    return response.body.id;
  }

  newKey(): string {
    return `key-${this.merchantId}-${++this.keySeq}-${Math.random().toString(36).slice(2)}`;
  }

  post(path: string, body: object = {}, idempotencyKey: string | null = this.newKey()) {
    const call = this.gateway.http.post(path).set('authorization', `Bearer ${this.apiKey}`).send(body);
    return idempotencyKey === null ? call : call.set('idempotency-key', idempotencyKey);
  }

  get(path: string) {
    return this.gateway.http.get(path).set('authorization', `Bearer ${this.apiKey}`);
  }

  pay(overrides: Record<string, unknown> = {}, card = '4242424242424242') {
    return this.post('/v1/payments', paymentBody(overrides, card));
  }
}

export function paymentBody(overrides: Record<string, unknown> = {}, card = '4242424242424242') {
  return {
    amount: 1000,
    currency: 'EUR',
    capture: true,
    payment_method: { type: 'card', card: { number: card, exp_month: 12, exp_year: 2030, cvc: '123' } },
    customer: { country: 'DE' },
    description: 'order 42',
    metadata: { order: '42' },
    ...overrides,
  };
}

/** Puts a fault on a sandbox node through the ops API. */
export function putFault(gateway: Gateway, node: string, fault: object) {
  return gateway.http.put(`/v1/ops/nodes/${node}/faults`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send(fault).expect(200);
}

/** Clears a sandbox node's fault through the ops API. */
export function deleteFault(gateway: Gateway, node: string) {
  return gateway.http.delete(`/v1/ops/nodes/${node}/faults`).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
}
