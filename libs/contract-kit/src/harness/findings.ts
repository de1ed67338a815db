import { inspect, isDeepStrictEqual } from 'node:util';

/** Thrown to end a check after a failed precondition; the failure is already recorded. */
export class CheckAborted extends Error {
  constructor() {
    super('contract check aborted');
  }
}

export const show = (value: unknown): string => inspect(value, { depth: 4, breakLength: Infinity, compact: true });

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
  fields<T extends object>(label: string, actual: T, expected: Partial<T>): boolean {
    const wrong = Object.entries(expected)
      .filter(([key, value]) => !isDeepStrictEqual((actual as Record<string, unknown>)[key], value))
      .map(([key, value]) => `${key} ${show((actual as Record<string, unknown>)[key])} (expected ${show(value)})`);
    if (wrong.length === 0) return true;
    this.fail(`${label}: ${wrong.join(', ')}\n      the answer was ${show(actual)}`);
    return false;
  }

  requireFields<T extends object>(label: string, actual: T, expected: Partial<T>): void {
    if (!this.fields(label, actual, expected)) throw new CheckAborted();
  }
}
