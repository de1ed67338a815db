import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { developmentVaultKey } from './development-vault-key.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-vault-key-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the development vault key', () => {
  it('is created on first start in <dataDir>/vault.key (owner only, base64), and read back after', () => {
    const dataDir = join(tempDir(), 'nested', '.data');
    const key = developmentVaultKey(dataDir);
    expect(key).toHaveLength(32);
    const path = join(dataDir, 'vault.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64').equals(key)).toBe(true);
    expect(developmentVaultKey(dataDir).equals(key)).toBe(true);
    expect(readdirSync(dataDir)).toEqual(['vault.key']);
  });

  it('differs between data directories', () => {
    expect(developmentVaultKey(tempDir()).equals(developmentVaultKey(tempDir()))).toBe(false);
  });

  it('refuses a file that holds no key, naming it', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'vault.key'), 'not a key\n');
    expect(() => developmentVaultKey(dataDir)).toThrow(`${join(dataDir, 'vault.key')} must be 32 random bytes in base64`);
  });
});
