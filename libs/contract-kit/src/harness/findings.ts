import { inspect, isDeepStrictEqual } from 'node:util';

/** Thrown to end a check after a failed precondition; the failure is already recorded. */
export class CheckAborted extends Error {
  constructor() {
    super('contract check aborted');
  }
}

export const show = (value: unknown): string => inspect(value, { depth: 4, breakLength: Infinity, compact: true });

/** An expected field that may hold any of several values (e.g. a capture the provider confirms later). */
export class AnyOf<T> {
  constructor(readonly values: readonly T[]) {}

  matches(actual: unknown): boolean {
    return this.values.some((value) => isDeepStrictEqual(actual, value));
  }

  toString(): string {
    return `one of ${this.values.map((value) => show(value)).join(', ')}`;
  }
}

export const anyOf = <T>(...values: T[]): AnyOf<T> => new AnyOf(values);

/** Expected fields: each a value, or `anyOf(...)` values. */
export type Expected<T> = { [K in keyof T]?: T[K] | AnyOf<T[K]> };

const matches = (actual: unknown, expected: unknown) => (expected instanceof AnyOf ? expected.matches(actual) : isDeepStrictEqual(actual, expected));
const expectation = (expected: unknown) => (expected instanceof AnyOf ? expected.toString() : show(expected));

/** The failures of one check, collected softly so one run reports every broken promise it saw. */
export class Findings {
  readonly failures: string[] = [];

  fail(message: string): void {
    this.failures.push(message);
  }

  expect(ok: boolean, message: string): boolean {
    if (!ok) this.fail(message);
    return ok;
  }

  /** Records the failure and ends the check: what follows depends on it. */
  require(ok: boolean, message: string): asserts ok {
    if (!ok) this.abort(message);
  }

  abort(message: string): never {
    this.fail(message);
    throw new CheckAborted();
  }

  /** Compares the listed fields of `actual` with `expected`; one failure names every mismatch. */
  fields<T extends object>(label: string, actual: T, expected: Expected<T>): boolean {
    const wrong = Object.entries(expected)
      .filter(([key, value]) => !matches((actual as Record<string, unknown>)[key], value))
      .map(([key, value]) => `${key} ${show((actual as Record<string, unknown>)[key])} (expected ${expectation(value)})`);
    if (wrong.length === 0) return true;
    this.fail(`${label}: ${wrong.join(', ')}\n      the answer was ${show(actual)}`);
    return false;
  }

  requireFields<T extends object>(label: string, actual: T, expected: Expected<T>): void {
    if (!this.fields(label, actual, expected)) throw new CheckAborted();
  }
}
