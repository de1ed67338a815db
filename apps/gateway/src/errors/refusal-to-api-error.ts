import type { Refusal, RefusalKind } from '../common/refusal.js';
import { ApiError, type ApiErrorType } from './api-error.js';

const HTTP: Readonly<Record<RefusalKind, { status: number; type: ApiErrorType }>> = {
  invalid: { status: 400, type: 'invalid_request_error' },
  not_found: { status: 404, type: 'not_found' },
  state: { status: 409, type: 'state_error' },
  provider_refused: { status: 502, type: 'api_error' },
  provider_timeout: { status: 504, type: 'api_error' },
  unavailable: { status: 503, type: 'api_error' },
};

/** The API error (API.md, "Errors") a use case's refusal is answered with. */
export function refusalToApiError(refusal: Refusal): ApiError {
  const { status, type } = HTTP[refusal.kind];
  return new ApiError(status, type, refusal.code, refusal.message, refusal.param);
}
