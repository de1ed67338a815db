import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The provider fakes that speak HTTPS present a certificate of the test CA. Node reads extra CAs
 * only when a process starts, so the test workers (forked after this runs) get it here: the test CA
 * added to whatever NODE_EXTRA_CA_CERTS already names (a machine may set it), never replacing it.
 */
function trustFakesCa(): void {
  const testCa = new URL('./libs/provider-fakes/tls/ca.pem', import.meta.url).pathname;
  const already = process.env.NODE_EXTRA_CA_CERTS;
  if (!already || already === testCa || !existsSync(already)) {
    process.env.NODE_EXTRA_CA_CERTS = testCa;
    return;
  }
  const dir = join(tmpdir(), 'canopy-test-ca');
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, 'extra-ca.pem');
  writeFileSync(bundle, `${readFileSync(already, 'utf8').trimEnd()}\n${readFileSync(testCa, 'utf8')}`);
  process.env.NODE_EXTRA_CA_CERTS = bundle;
}
trustFakesCa();

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
