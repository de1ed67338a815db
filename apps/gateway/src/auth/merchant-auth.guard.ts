import { type CanActivate, type ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Prisma, type SqlClient } from '#persistence';
import { SQL } from '../common/tokens.js';
import { ApiError } from '../errors/api-error.js';
import { bearerToken, hashSecret } from './api-keys.js';

export interface AuthenticatedMerchant {
  id: string;
}

type MerchantRequest = FastifyRequest & { merchant?: AuthenticatedMerchant };

/** Resolves `Authorization: Bearer sk_…` to its merchant by the key's hash. */
@Injectable()
export class MerchantAuthGuard implements CanActivate {
  constructor(@Inject(SQL) private readonly sql: SqlClient) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<MerchantRequest>();
    const key = bearerToken(request.headers.authorization);
    if (!key) throw ApiError.unauthenticated('Provide your API key as "Authorization: Bearer sk_…".');
    // One statement on every request: through the SqlClient, not the ORM (bench/prisma-vs-pg.mjs).
    const [record] = await this.sql.query<{ merchant_id: string; revoked: boolean }>(
      Prisma.sql`SELECT merchant_id, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE hash = ${hashSecret(key)}`,
    );
    if (!record || record.revoked) throw ApiError.unauthenticated('Invalid API key provided.');
    request.merchant = { id: record.merchant_id };
    return true;
  }
}

export const CurrentMerchant = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedMerchant => {
  const merchant = context.switchToHttp().getRequest<MerchantRequest>().merchant;
  if (!merchant) throw new Error('CurrentMerchant used on a route without MerchantAuthGuard');
  return merchant;
});
