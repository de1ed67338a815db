/** What kind of "no" a use case answered; the HTTP layer maps each to its status (errors/refusal-to-api-error.ts). */
export type RefusalKind =
  /** The request is malformed or asks for the impossible (e.g. an invalid card number). */
  | 'invalid'
  /** A resource it names does not exist for this merchant. */
  | 'not_found'
  /** The resource is not in a state that allows the operation. */
  | 'state'
  /** The provider refused the operation: nothing changed. */
  | 'provider_refused'
  /** The provider did not answer: the operation may have applied; a retry or reconciliation settles it. */
  | 'provider_timeout'
  /** A part of the gateway it needs is not available here (e.g. the vault without its key). */
  | 'unavailable';

/**
 * A typed refusal of a use case: returned as its result. Nothing it refused was written. It is an
 * Error too, so that a transaction step can refuse by throwing it, which rolls the step's unit back.
 */
export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: string,
    message: string,
    /** The request field at fault, when one is. */
    readonly param?: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }

  static invalid(code: string, message: string, param?: string): Refusal {
    return new Refusal('invalid', code, message, param);
  }

  static notFound(what: string, id: string): Refusal {
    return new Refusal('not_found', 'resource_missing', `No such ${what}: '${id}'`, 'id');
  }

  static state(code: string, message: string): Refusal {
    return new Refusal('state', code, message);
  }
}
