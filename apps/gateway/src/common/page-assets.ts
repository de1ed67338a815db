import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** A file a page of the gateway serves, with its content type. */
export interface PageAsset {
  type: string;
  body: Buffer;
}

/**
 * A page's folder: `public/` next to `moduleDir` when running from source, else found upwards from
 * the compiled file (dist/…) at `repoPath`, its place in the repository (tsc copies no assets).
 */
function assetDir(moduleDir: string, repoPath: string): string {
  const sibling = path.join(moduleDir, 'public');
  if (existsSync(sibling)) return sibling;
  for (let dir = moduleDir; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const candidate = path.join(dir, repoPath);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`page assets not found (looked for ${repoPath} above ${moduleDir})`);
}

/** The named files of a page, read once: a handful of small files, served from memory. */
export function loadPageAssets(moduleDir: string, repoPath: string, names: readonly string[]): Map<string, PageAsset> {
  const dir = assetDir(moduleDir, repoPath);
  return new Map(names.map((name) => [name, { type: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream', body: readFileSync(path.join(dir, name)) }]));
}
