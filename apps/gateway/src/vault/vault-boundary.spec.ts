import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const GATEWAY = 'apps/gateway/src';
/** The sealed columns, the vault's keys table, and the ORM's models of both (a bare `findMany` returns every column). */
const SEALED = /sealed_number|sealed_data_key|sealedNumber|sealedDataKey|sealed_key|sealedKey|\bvault_keys\b|\.vaultKey\.|\.vaultCard\./;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the vault boundary', () => {
  it('no code of the root outside the vault names the sealed columns, the vault keys or the ORM models that read them', () => {
    const files = sources(GATEWAY);
    expect(files.some((file) => file.startsWith(join(GATEWAY, 'vault', 'persistence')))).toBe(true);
    expect(SEALED.test('await this.prisma.vaultCard.findFirst({ where: { id } })')).toBe(true);
    expect(SEALED.test('const vaultKey = developmentVaultKey(config.dataDir);')).toBe(false);
    const outside = files.filter((file) => !relative(GATEWAY, file).startsWith('vault/')).filter((file) => SEALED.test(readFileSync(file, 'utf8')));
    expect(outside).toEqual([]);
  });

  it('within the vault, only the cards repository names the sealed columns in SQL', () => {
    const vaultFiles = sources(join(GATEWAY, 'vault')).filter((file) => !file.includes('test-support'));
    const reading = vaultFiles.filter((file) => /\bsealed_number\b|\bsealed_data_key\b/.test(readFileSync(file, 'utf8')));
    expect(reading.map((file) => relative(GATEWAY, file))).toEqual(['vault/persistence/vault-cards.repository.ts']);
  });
});
