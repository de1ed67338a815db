import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Tree } from '#orchestration';
import { DatabaseHealth } from '#persistence';
import { requestContext } from '../common/node-context.js';
import { TREE } from '../common/tokens.js';
import { currencyRoutes } from './currency-routes.js';
import { LiveResponse, ReadyResponse } from './health.responses.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly databaseHealth: DatabaseHealth,
    @Inject(TREE) private readonly tree: Tree,
  ) {}

  @ApiOperation({ summary: 'Liveness', description: 'The process answers.' })
  @ApiOkResponse({ type: LiveResponse })
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Ready when the database answers and every currency the tree takes has at least one healthy route. */
  @ApiOperation({ summary: 'Readiness', description: 'The database answers and the tree has a healthy route.' })
  @ApiOkResponse({ type: ReadyResponse })
  @ApiServiceUnavailableResponse({ type: ReadyResponse, description: 'Not ready: see `checks`.' })
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const database = await this.databaseHealth.check();
    const ctx = requestContext('health-ready', 1_000);
    const tree = await this.tree.root.health(ctx);
    const currencies = await currencyRoutes(this.tree, tree, ctx);
    const unroutable = Object.keys(currencies).filter((currency) => currencies[currency] === 'down');
    const ready = database === 'up' && tree.status !== 'down' && unroutable.length === 0;
    void reply.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({
      status: ready ? 'ok' : 'unavailable',
      checks: { database, tree: tree.status, currencies },
      ...(unroutable.length > 0 && { unroutable_currencies: unroutable }),
    });
  }
}
