import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { ApiError } from '../errors/api-error.js';
import { EndsWithStrictInput, assertStrictInput } from '../security/strict-input.js';
import { bearerToken, secretsEqual } from './api-keys.js';

/** The admin token; then the request's input is checked (a 401 comes before any 400). */
@Injectable()
@EndsWithStrictInput()
export class AdminAuthGuard implements CanActivate {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const token = bearerToken(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
    if (!token || !secretsEqual(token, this.config.adminToken)) {
      throw ApiError.unauthenticated('Provide the admin token as "Authorization: Bearer <token>".');
    }
    assertStrictInput(context);
    return true;
  }
}
