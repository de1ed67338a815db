import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ApiErrorType } from './api-error.js';

const ERROR_TYPES = Object.keys({
  invalid_request_error: true,
  authentication_error: true,
  not_found: true,
  idempotency_error: true,
  state_error: true,
  rate_limit_error: true,
  api_error: true,
} satisfies Record<ApiErrorType, true>);

export class ErrorDetail {
  @ApiProperty({ enum: ERROR_TYPES })
  type!: ApiErrorType;

  @ApiProperty({ description: 'Stable, machine-readable (e.g. `invalid_card_number`, `idempotency_key_missing`).' })
  code!: string;

  @ApiProperty({ description: 'For a human; may change.' })
  message!: string;

  @ApiPropertyOptional({ description: 'The offending field of a validation error.', example: 'payment_method.card.number' })
  param?: string;

  @ApiProperty({ description: 'Also in the `request-id` header and in the logs.', example: 'req_…' })
  request_id!: string;
}

/** The body of every 4xx/5xx answer. */
export class ErrorResponse {
  @ApiProperty({ type: () => ErrorDetail })
  error!: ErrorDetail;
}
