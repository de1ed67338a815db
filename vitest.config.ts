import { defineConfig } from 'vitest/config';

// The provider fakes that speak HTTPS present a certificate of the test CA; Node reads extra CAs
// only when a process starts, so the test workers (forked after this runs) get it here.
process.env.NODE_EXTRA_CA_CERTS ??= new URL('./libs/provider-fakes/tls/ca.pem', import.meta.url).pathname;

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['libs/**/*.spec.ts', 'apps/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
