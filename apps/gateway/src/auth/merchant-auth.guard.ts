import { type CanActivate, type ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.js';
import { bearerToken, hashSecret } from './api-keys.js';
import { MerchantsRepository } from './merchants.repository.js';

export interface AuthenticatedMerchant {
  id: string;
}

type MerchantRequest = FastifyRequest & { merchant?: AuthenticatedMerchant };

/** Resolves `Authorization: Bearer sk_…` to its merchant by the key's hash. */
@Injectable()
export class MerchantAuthGuard implements CanActivate {
  constructor(private readonly merchants: MerchantsRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<MerchantRequest>();
    const key = bearerToken(request.headers.authorization);
    if (!key) throw ApiError.unauthenticated('Provide your API key as "Authorization: Bearer sk_…".');
    const owner = await this.merchants.findApiKey(hashSecret(key));
    if (!owner || owner.revoked) throw ApiError.unauthenticated('Invalid API key provided.');
    request.merchant = { id: owner.merchantId };
    return true;
  }
}

export const CurrentMerchant = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedMerchant => {
  const merchant = context.switchToHttp().getRequest<MerchantRequest>().merchant;
  if (!merchant) throw new Error('CurrentMerchant used on a route without MerchantAuthGuard');
  return merchant;
});
