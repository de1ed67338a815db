import { describe, expect, it } from 'vitest';
import { ConfigError, loadGatewayConfig } from './gateway-config.js';

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

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ CANOPY_ADMIN_TOKEN: 'short' }, 'CANOPY_ADMIN_TOKEN'],
    [{ CANOPY_REQUEST_TIMEOUT_MS: '5' }, 'CANOPY_REQUEST_TIMEOUT_MS'],
    [{ DATABASE_URL: 'postgresql://u@db:5432/canopy' }, 'CANOPY_ADMIN_TOKEN'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadGatewayConfig(env)).toThrow(ConfigError);
    expect(() => loadGatewayConfig(env)).toThrow(variable);
  });
});
