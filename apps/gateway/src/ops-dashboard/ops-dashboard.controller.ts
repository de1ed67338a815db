import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { loadPageAssets, type PageAsset } from '../common/page-assets.js';

/** The chart library's browser build and styles, from its npm package (no CDN), by the names the page asks for. */
const UPLOT_FILES: Record<string, { file: string; type: string }> = {
  'uPlot.iife.min.js': { file: 'uplot/dist/uPlot.iife.min.js', type: 'text/javascript; charset=utf-8' },
  'uPlot.min.css': { file: 'uplot/dist/uPlot.min.css', type: 'text/css; charset=utf-8' },
};

/** Every file of the page, read once. */
function loadAssets(): Map<string, PageAsset> {
  const assets = loadPageAssets(path.dirname(fileURLToPath(import.meta.url)), 'apps/gateway/src/ops-dashboard/public', ['index.html', 'dashboard.css', 'dashboard.js', 'favicon.svg']);
  // Resolved like an import from this file, so it is found from the source and from dist/ alike.
  const require = createRequire(import.meta.url);
  for (const [name, { file, type }] of Object.entries(UPLOT_FILES)) assets.set(name, { type, body: readFileSync(require.resolve(file)) });
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
