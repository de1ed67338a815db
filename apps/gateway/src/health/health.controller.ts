import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Tree } from '#orchestration';
import type { PrismaClient } from '#persistence';
import { PRISMA, TREE } from '../common/tokens.js';
import { requestContext } from '../tree/node-context.js';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(TREE) private readonly tree: Tree,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Ready when the database answers and the tree has at least one healthy route. */
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const database = await this.prisma.$queryRaw`SELECT 1`.then(
      () => 'up' as const,
      () => 'down' as const,
    );
    const tree = await this.tree.root.health(requestContext('health-ready', 1_000));
    const ready = database === 'up' && tree.status !== 'down';
    void reply
      .status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status: ready ? 'ok' : 'unavailable', checks: { database, tree: tree.status } });
  }
}
