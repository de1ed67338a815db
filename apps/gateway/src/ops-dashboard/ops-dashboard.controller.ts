import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

const ASSET_DIR = 'apps/gateway/src/ops-dashboard/public';
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The page's folder: next to this file when running from source, else found upwards from the
 * compiled file (dist/…) at the same place in the repository (tsc copies no assets).
 */
function assetDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sibling = path.join(here, 'public');
  if (existsSync(sibling)) return sibling;
  for (let dir = here; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const candidate = path.join(dir, ASSET_DIR);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`ops dashboard assets not found (looked for ${ASSET_DIR} above ${here})`);
}

/** Every file of the page, read once: a handful of small files, served from memory. */
function loadAssets(): Map<string, { type: string; body: Buffer }> {
  const dir = assetDir();
  const assets = new Map<string, { type: string; body: Buffer }>();
  for (const name of ['index.html', 'dashboard.css', 'dashboard.js', 'favicon.svg']) {
    assets.set(name, { type: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream', body: readFileSync(path.join(dir, name)) });
  }
  return assets;
}

/**
 * The ops dashboard: a static page that holds no data. It takes the admin token from its login
 * field or the URL fragment (`/ops#token=…`, which browsers never send) and calls the ops API with
 * it as a bearer token, so the page itself needs no authentication.
 */
@ApiExcludeController()
@Controller('ops')
export class OpsDashboardController {
  private readonly assets = loadAssets();

  @Get()
  page(@Res() reply: FastifyReply): void {
    this.send(reply, 'index.html');
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    if (!this.assets.has(file) || file === 'index.html') throw new NotFoundException();
    this.send(reply, file);
  }

  private send(reply: FastifyReply, name: string): void {
    const asset = this.assets.get(name)!;
    void reply.header('content-type', asset.type).header('cache-control', 'no-cache').send(asset.body);
  }
}
