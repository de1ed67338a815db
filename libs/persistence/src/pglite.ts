import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

let template: Promise<Blob> | undefined;

/**
 * Opens a PGlite: `memory://...` for an in-memory database, else a folder (created if missing).
 * A new cluster runs initdb (about 2 s). The first in-memory one of the process is dumped and
 * later new clusters (in memory, or in an empty folder) start from that dump instead (about
 * 0.4 s), which tests and shadow databases appreciate. A process that never opens an in-memory
 * database keeps no template.
 */
export async function openPGlite(dataDir: string): Promise<PGlite> {
  const inMemory = dataDir.startsWith('memory://');
  let dir = dataDir;
  if (!inMemory) {
    dir = path.resolve(dataDir);
    await mkdir(dir, { recursive: true });
  }
  const isNew = inMemory || !existsSync(path.join(dir, 'PG_VERSION'));
  const blob = isNew && template ? await template.catch(() => undefined) : undefined;
  const pglite = blob ? new PGlite({ dataDir: dir, loadDataDir: blob }) : new PGlite(dir);
  await pglite.waitReady;
  if (inMemory && !template) {
    template = pglite.dumpDataDir('none');
    template.catch(() => (template = undefined));
    await template.catch(() => {});
  }
  return pglite;
}
