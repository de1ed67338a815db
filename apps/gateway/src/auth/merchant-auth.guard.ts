import { type CanActivate, type ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.js';
import { EndsWithStrictInput, assertStrictInput } from '../security/strict-input.js';
import { bearerCredential } from './api-keys.js';
import { type ApiKeyKind, MerchantsRepository } from './merchants.repository.js';

export interface AuthenticatedMerchant {
  id: string;
  /** The kind of key the request came with. */
  keyKind: ApiKeyKind;
  allowedOrigins: string[];
  /** The merchant lets routers retry `opt_in` declines on another child. */
  cascadeOptIn: boolean;
}

type MerchantRequest = FastifyRequest & { merchant?: AuthenticatedMerchant };

/**
 * Resolves `Authorization: Bearer <key>` to its merchant by the key's hash, if the key is of an
 * accepted kind; then the request's input is checked (a 401 comes before any 400).
 */
async function authenticate(merchants: MerchantsRepository, context: ExecutionContext, accepted: readonly ApiKeyKind[]): Promise<boolean> {
  const request = context.switchToHttp().getRequest<MerchantRequest>();
  const credential = bearerCredential(request);
  if (!credential) throw ApiError.unauthenticated('Provide your API key as "Authorization: Bearer sk_…".');
  const owner = await merchants.findApiKey(credential.hash);
  if (!owner || owner.revoked) throw ApiError.unauthenticated('Invalid API key provided.');
  if (!accepted.includes(owner.kind)) {
    throw new ApiError(403, 'authentication_error', 'secret_key_required', 'A publishable key can only create tokens (POST /v1/tokens); use your secret key (sk_…).');
  }
  request.merchant = { id: owner.merchantId, keyKind: owner.kind, allowedOrigins: owner.allowedOrigins, cascadeOptIn: owner.cascadeOptIn };
  assertStrictInput(context);
  return true;
}

/** Secret keys (sk_): the whole merchant API. */
@Injectable()
@EndsWithStrictInput()
export class MerchantAuthGuard implements CanActivate {
  constructor(private readonly merchants: MerchantsRepository) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return authenticate(this.merchants, context, ['secret']);
  }
}

/**
 * Secret or publishable keys (pk_, from a browser): tokenization only. A browser's page may read
 * every answer of the route, refusals included (a wrong key, an invalid card): the Origin is allowed
 * before anything is checked. Whether that origin may tokenize is the route's own check.
 */
@Injectable()
@EndsWithStrictInput()
export class TokenizationAuthGuard implements CanActivate {
  constructor(private readonly merchants: MerchantsRepository) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const origin = http.getRequest<FastifyRequest>().headers.origin;
    if (origin) void http.getResponse<FastifyReply>().headers({ 'access-control-allow-origin': origin, vary: 'Origin' });
    return authenticate(this.merchants, context, ['secret', 'publishable']);
  }
}

export const CurrentMerchant = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedMerchant => {
  const merchant = context.switchToHttp().getRequest<MerchantRequest>().merchant;
  if (!merchant) throw new Error('CurrentMerchant used on a route without MerchantAuthGuard');
  return merchant;
});
