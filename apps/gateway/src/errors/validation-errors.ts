import type { ValidationError } from 'class-validator';

/**
 * Marks a DTO class that stands for a field given as a plain string (e.g. `payment_method: "tok_…"`,
 * read into an object so that it can be validated): its errors name the field itself, not the
 * object's inner property.
 */
export const STANDS_FOR_ITS_FIELD = Symbol('stands for its field');

const standsForItsField = (target: object | undefined): boolean =>
  target !== undefined && (target.constructor as unknown as Record<symbol, unknown>)[STANDS_FOR_ITS_FIELD] === true;
import { ApiError } from './api-error.js';

/** The first failing constraint, depth first, with its dotted snake_case path as `param`. */
export function validationErrorToApiError(errors: ValidationError[]): ApiError {
  const first = firstLeaf(errors, '');
  if (!first) return ApiError.invalid('parameter_invalid', 'The request body is invalid.');
  const { param, error } = first;
  const constraints = error.constraints ?? {};
  if ('whitelistValidation' in constraints) {
    return ApiError.invalid('parameter_unknown', `Received unknown parameter: ${param}`, param);
  }
  const [kind, detail] = Object.entries(constraints)[0] ?? ['invalid', `${param} is invalid`];
  const code = kind === 'isDefined' || kind === 'isNotEmpty' ? 'parameter_missing' : 'parameter_invalid';
  const message = code === 'parameter_missing' ? `Missing required param: ${param}.` : capitalize(detail.replace(error.property, param)) + '.';
  return ApiError.invalid(code, message, param);
}

function firstLeaf(errors: ValidationError[], prefix: string): { param: string; error: ValidationError } | undefined {
  for (const error of errors) {
    const param = prefix && standsForItsField(error.target) ? prefix : prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints && Object.keys(error.constraints).length > 0) return { param, error };
    const nested = firstLeaf(error.children ?? [], param);
    if (nested) return nested;
  }
  return undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
