export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found'
  | 'idempotency_error'
  | 'state_error'
  | 'rate_limit_error'
  | 'api_error';

/** The one error the root maps to HTTP: `{"error": {type, code, message, param?, request_id}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ApiErrorType,
    readonly code: string,
    message: string,
    readonly param?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static invalid(code: string, message: string, param?: string): ApiError {
    return new ApiError(400, 'invalid_request_error', code, message, param);
  }

  static unauthenticated(message: string): ApiError {
    return new ApiError(401, 'authentication_error', 'invalid_api_key', message, undefined, {
      'www-authenticate': 'Bearer',
    });
  }
}

/** The body of every 4xx/5xx answer (API.md, "Errors"). */
export function apiErrorBody(error: ApiError, requestId: string) {
  return {
    error: {
      type: error.type,
      code: error.code,
      message: error.message,
      ...(error.param ? { param: error.param } : {}),
      request_id: requestId,
    },
  };
}
