import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../errors/error.response.js';

/** Security scheme names of the OpenAPI document (see openapi.ts). */
export const MERCHANT_AUTH = 'merchant_api_key';
export const ADMIN_AUTH = 'admin_token';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (`invalid_request_error`, naming the `param`).',
  401: 'Missing or wrong bearer credential (`authentication_error`).',
  404: 'No such object, or one of another merchant (`not_found`).',
  409: 'Not allowed in the current state (`state_error`), or `idempotency_key_in_flight`.',
  422: 'The Idempotency-Key was used with a different body (`idempotency_key_reused`).',
  429: 'Too many requests for this credential (`rate_limit_error`); retry after the `retry-after` header.',
  500: 'Unexpected failure (`api_error`); logged with the request id.',
  502: 'The provider refused the operation (`api_error` with a unified code); the payment is unchanged.',
  403: 'The credential may not do this (`authentication_error`): a publishable key outside tokenization, or an origin not allowed.',
  503: 'The gateway cannot do this right now (`api_error`), e.g. `vault_unavailable`: no CANOPY_VAULT_KEY opens the card.',
  504: 'The provider did not confirm in time (`api_error`, `provider_timeout`); retry with the same Idempotency-Key.',
};

/** Documents error answers of the given statuses with the one error body of API.md. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorResponse })),
  );
}

/** A merchant controller: bearer API key, and the errors any of its routes may answer. */
export function ApiMerchantAuth(): ClassDecorator {
  return applyDecorators(ApiBearerAuth(MERCHANT_AUTH), ApiErrors(401, 403, 429, 500));
}

/** An ops controller: bearer admin token, and the errors any of its routes may answer. */
export function ApiAdminAuth(): ClassDecorator {
  return applyDecorators(ApiBearerAuth(ADMIN_AUTH), ApiErrors(401, 429, 500));
}

/** A POST that moves money: the required Idempotency-Key header and the idempotency errors. */
export function ApiIdempotent(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description:
        'Required. Scoped per merchant, kept ≥ 24 h. A repeat with the same body returns the stored answer ' +
        'byte for byte with `Idempotent-Replayed: true`; a different body answers 422; a repeat while the first ' +
        'is still running answers 409.',
      schema: { type: 'string', maxLength: 255 },
    }),
    ApiResponse({
      status: 400,
      description:
        'Invalid request (`invalid_request_error`, naming the `param`), or a missing or malformed ' +
        'Idempotency-Key (`idempotency_error`: `idempotency_key_missing`, `idempotency_key_invalid`).',
      type: ErrorResponse,
    }),
    ApiErrors(409, 422),
  );
}
