import { describe, expect, it } from 'vitest';
import { ConfigError, loadGatewayConfig } from './gateway-config.js';

describe('CANOPY_SHUTDOWN_TIMEOUT_MS', () => {
  it('defaults to 15 s and reads the variable', () => {
    expect(loadGatewayConfig({}).shutdownTimeoutMs).toBe(15_000);
    expect(loadGatewayConfig({ CANOPY_SHUTDOWN_TIMEOUT_MS: '2500' }).shutdownTimeoutMs).toBe(2500);
  });

  it('stops start-up with a message naming the variable', () => {
    expect(() => loadGatewayConfig({ CANOPY_SHUTDOWN_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ CANOPY_SHUTDOWN_TIMEOUT_MS: '-1' })).toThrow(/CANOPY_SHUTDOWN_TIMEOUT_MS must be an integer/);
  });
});
