import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSecretsKey } from '../common/secret-box.js';

export const DEVELOPMENT_KEY_FILE = 'vault.key';

/**
 * The vault key of a development gateway on the embedded database (no CANOPY_VAULT_KEY, no
 * DATABASE_URL): `<dataDir>/vault.key`, created on first start (owner-only, base64), so that cards
 * saved in the data directory still open after a restart. It lies beside the database it protects:
 * for development only.
 */
export function developmentVaultKey(dataDir: string): Buffer {
  const path = join(dataDir, DEVELOPMENT_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  // Written aside, then linked into place: a process starting at the same time never reads a half-written file.
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  const key = parseSecretsKey(readFileSync(path, 'utf8').trim());
  if (typeof key === 'string') throw new Error(`${path} ${key}; delete it to have a new one made (cards sealed with the old one will not open)`);
  return key;
}
