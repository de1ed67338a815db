import { describe, expect, it } from 'vitest';
import { ConfigError, loadGatewayConfig } from './gateway-config.js';

const VAULT_KEY = Buffer.alloc(32, 5).toString('base64');

describe('loadGatewayConfig', () => {
  it('has the defaults of API.md and generates an admin token when none is set', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: '.data',
      treeFile: 'config/tree.yaml',
      adminTokenGenerated: true,
    });
    expect(config.adminToken.length).toBeGreaterThanOrEqual(32);
    expect(loadGatewayConfig({}).adminToken).not.toBe(config.adminToken);
  });

  it('reads the webhook, rate limit and log settings (0 disables the dispatcher and the limits)', () => {
    expect(loadGatewayConfig({})).toMatchObject({
      webhooks: { intervalMs: 1000, timeoutMs: 10_000, allowPrivateNetworks: false },
      rateLimit: { limit: 100, opsLimit: 50, windowMs: 1000 },
      logLevel: 'info',
    });
    const config = loadGatewayConfig({
      CANOPY_WEBHOOK_INTERVAL_MS: '0',
      CANOPY_WEBHOOK_TIMEOUT_MS: '2500',
      CANOPY_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      CANOPY_RATE_LIMIT: '0',
      CANOPY_OPS_RATE_LIMIT: '7',
      CANOPY_RATE_LIMIT_WINDOW_MS: '60000',
      CANOPY_LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      webhooks: { intervalMs: 0, timeoutMs: 2500, allowPrivateNetworks: true },
      rateLimit: { limit: 0, opsLimit: 7, windowMs: 60_000 },
      logLevel: 'debug',
    });
  });

  it('reads every variable', () => {
    const config = loadGatewayConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://u@db:5432/canopy',
      CANOPY_DATA_DIR: '/var/canopy',
      CANOPY_TREE: 'tree.yaml',
      CANOPY_ADMIN_TOKEN: 'a-long-enough-admin-token',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://u@db:5432/canopy',
      dataDir: '/var/canopy',
      treeFile: 'tree.yaml',
      adminToken: 'a-long-enough-admin-token',
      adminTokenGenerated: false,
    });
  });

  it('reads the vault keys, the token lifetime, the purge and re-seal intervals; without a key the vault has none (15 min tokens, purge every 10 min, re-seal every minute)', () => {
    expect(loadGatewayConfig({}).vault).toEqual({ tokenTtlMs: 15 * 60_000, purgeIntervalMs: 600_000, resealIntervalMs: 60_000 });
    const previous = Buffer.alloc(32, 9).toString('base64');
    const config = loadGatewayConfig({
      CANOPY_VAULT_KEY: VAULT_KEY,
      CANOPY_VAULT_KEY_PREVIOUS: previous,
      CANOPY_TOKEN_TTL_MS: '60000',
      CANOPY_VAULT_PURGE_INTERVAL_MS: '30000',
      CANOPY_VAULT_RESEAL_INTERVAL_MS: '5000',
    });
    expect(config.vault).toEqual({
      key: Buffer.from(VAULT_KEY, 'base64'),
      previousKey: Buffer.from(previous, 'base64'),
      tokenTtlMs: 60_000,
      purgeIntervalMs: 30_000,
      resealIntervalMs: 5_000,
    });
    expect(loadGatewayConfig({ CANOPY_VAULT_PURGE_INTERVAL_MS: '0' }).vault.purgeIntervalMs).toBe(0);
    // The webhook secrets key is its own variable.
    expect(config.webhooks.secretsKey).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ CANOPY_ADMIN_TOKEN: 'short' }, 'CANOPY_ADMIN_TOKEN'],
    [{ CANOPY_REQUEST_TIMEOUT_MS: '5' }, 'CANOPY_REQUEST_TIMEOUT_MS'],
    [{ DATABASE_URL: 'postgresql://u@db:5432/canopy' }, 'CANOPY_ADMIN_TOKEN'],
    [{ CANOPY_WEBHOOK_INTERVAL_MS: '-1' }, 'CANOPY_WEBHOOK_INTERVAL_MS'],
    [{ CANOPY_WEBHOOK_TIMEOUT_MS: '0' }, 'CANOPY_WEBHOOK_TIMEOUT_MS'],
    [{ CANOPY_RATE_LIMIT: 'lots' }, 'CANOPY_RATE_LIMIT'],
    [{ CANOPY_RATE_LIMIT_WINDOW_MS: '10' }, 'CANOPY_RATE_LIMIT_WINDOW_MS'],
    [{ CANOPY_LOG_LEVEL: 'chatty' }, 'CANOPY_LOG_LEVEL'],
    [{ NATS_URL: 'http://broker:4222' }, 'NATS_URL'],
    [{ CANOPY_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes please' }, 'CANOPY_WEBHOOK_ALLOW_PRIVATE_NETWORKS'],
    [{ CANOPY_WEBHOOK_SECRETS_KEY: 'c2hvcnQ=' }, 'CANOPY_WEBHOOK_SECRETS_KEY'],
    [{ CANOPY_WEBHOOK_SECRETS_KEY_PREVIOUS: Buffer.alloc(32, 7).toString('base64') }, 'CANOPY_WEBHOOK_SECRETS_KEY_PREVIOUS needs'],
    [{ CANOPY_KEY_PURGE_INTERVAL_MS: 'often' }, 'CANOPY_KEY_PURGE_INTERVAL_MS'],
    [{ CANOPY_VAULT_KEY: 'c2hvcnQ=' }, 'CANOPY_VAULT_KEY must be 32 random bytes'],
    [{ CANOPY_VAULT_KEY: VAULT_KEY, CANOPY_VAULT_KEY_PREVIOUS: 'not a key' }, 'CANOPY_VAULT_KEY_PREVIOUS must be 32 random bytes'],
    [{ CANOPY_VAULT_KEY_PREVIOUS: VAULT_KEY }, 'CANOPY_VAULT_KEY_PREVIOUS needs CANOPY_VAULT_KEY'],
    [{ CANOPY_TOKEN_TTL_MS: '0' }, 'CANOPY_TOKEN_TTL_MS'],
    [{ CANOPY_TOKEN_TTL_MS: String(2 * 3_600_000) }, 'CANOPY_TOKEN_TTL_MS'],
    [{ CANOPY_VAULT_PURGE_INTERVAL_MS: '-1' }, 'CANOPY_VAULT_PURGE_INTERVAL_MS'],
    [{ CANOPY_VAULT_PURGE_INTERVAL_MS: 'hourly' }, 'CANOPY_VAULT_PURGE_INTERVAL_MS'],
    [{ CANOPY_VAULT_RESEAL_INTERVAL_MS: '0' }, 'CANOPY_VAULT_RESEAL_INTERVAL_MS'],
    [{ CANOPY_VAULT_RESEAL_INTERVAL_MS: 'often' }, 'CANOPY_VAULT_RESEAL_INTERVAL_MS'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadGatewayConfig(env)).toThrow(ConfigError);
    expect(() => loadGatewayConfig(env)).toThrow(variable);
  });
});
