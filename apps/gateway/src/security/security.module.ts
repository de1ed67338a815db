import { type DynamicModule, type ExecutionContext, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config/gateway-config.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { StrictInputGuard } from './strict-input.js';

const isOpsRoute = (context: ExecutionContext): boolean =>
  context.switchToHttp().getRequest<FastifyRequest>().url.startsWith('/v1/ops');

/**
 * Request-level defences every route gets: rate limits per credential (merchant routes per API
 * key, ops routes per admin token, each with its own budget; 0 disables one) and strict input.
 * Limits are counted in process memory: N gateway processes allow up to N × the limit.
 */
@Module({})
export class SecurityModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const { limit, opsLimit, windowMs } = config.rateLimit;
    return {
      module: SecurityModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [
            { name: 'default', limit, ttl: windowMs, skipIf: (context) => limit === 0 || isOpsRoute(context) },
            { name: 'ops', limit: opsLimit, ttl: windowMs, skipIf: (context) => opsLimit === 0 || !isOpsRoute(context) },
          ],
        }),
      ],
      providers: [
        // In this order: the rate limit first, then strict input (or the route's authentication, then strict input).
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: StrictInputGuard },
      ],
    };
  }
}
