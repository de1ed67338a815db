import { ApiError } from '../../errors/api-error.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key header, required on every POST that moves money. */
export function requireIdempotencyKey(header: string | string[] | undefined): string {
  if (header === undefined || header === '') {
    throw new ApiError(
      400,
      'idempotency_error',
      'idempotency_key_missing',
      'This request moves money: send an Idempotency-Key header (a unique string per operation, e.g. a UUID).',
    );
  }
  if (Array.isArray(header) || !KEY_PATTERN.test(header)) {
    throw new ApiError(
      400,
      'idempotency_error',
      'idempotency_key_invalid',
      'Idempotency-Key must be one header of 1 to 255 printable ASCII characters.',
    );
  }
  return header;
}
