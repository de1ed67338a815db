import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll, isBrokenCircuitError, isIsolatedCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import type { BreakerSnapshot, BreakerState } from '#gateway-spi';

export interface BreakerSettings {
  /** Failures in a row that open the breaker. */
  failureThreshold: number;
  /** How long the breaker stays open before it lets one probe through. */
  halfOpenAfterMs: number;
}

export const DEFAULT_BREAKER: Readonly<BreakerSettings> = Object.freeze({ failureThreshold: 5, halfOpenAfterMs: 30_000 });

export type BreakerRun<T> = { admitted: true; value: T } | { admitted: false };

/**
 * The circuit breaker a router keeps for one child: cockatiel's breaker policy (consecutive
 * failures, one half-open probe) over the child's answers, where `isFailure` says which answers
 * show the child unhealthy. A thrown error counts as a failure and is rethrown.
 *
 * While the probe is in flight, other calls are refused here rather than handed to cockatiel,
 * which would queue them behind the probe: a router skips the child instead of waiting for it.
 */
export class ChildBreaker<T> {
  private readonly consecutive: ConsecutiveBreaker;
  private readonly policy: CircuitBreakerPolicy;
  private probing = false;
  private openedAt: number | null = null;
  private lastFailure: string | null = null;
  private readonly counts = { successes: 0, failures: 0, rejected: 0, opened: 0 };

  constructor(
    readonly settings: BreakerSettings,
    private readonly isFailure: (value: T) => boolean,
    private readonly describeFailure: (value: T) => string,
  ) {
    this.consecutive = new ConsecutiveBreaker(settings.failureThreshold);
    this.policy = circuitBreaker(
      handleAll.orWhenResult((value) => isFailure(value as T)),
      { halfOpenAfter: settings.halfOpenAfterMs, breaker: this.consecutive },
    );
    this.policy.onBreak(() => {
      this.openedAt = Date.now();
      this.counts.opened += 1;
    });
    this.policy.onReset(() => {
      this.openedAt = null;
    });
  }

  get state(): BreakerState {
    switch (this.policy.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half_open';
      default:
        return this.probeDue() ? 'half_open' : 'open';
    }
  }

  /** Whether a call now would be let through: closed, or open with its probe due and not yet taken. */
  admits(): boolean {
    const state = this.policy.state;
    if (state === CircuitState.Closed) return true;
    return state === CircuitState.Open && this.probeDue();
  }

  /** Runs `call` through the breaker, or answers `admitted: false` without calling when it is open. */
  async run(call: () => Promise<T>): Promise<BreakerRun<T>> {
    if (!this.admits()) {
      this.counts.rejected += 1;
      return { admitted: false };
    }
    const probe = this.policy.state !== CircuitState.Closed;
    if (probe) this.probing = true;
    try {
      const value = await this.policy.execute(() => call());
      if (this.isFailure(value)) this.noteFailure(this.describeFailure(value));
      else this.counts.successes += 1;
      return { admitted: true, value };
    } catch (error) {
      if (isBrokenCircuitError(error) || isIsolatedCircuitError(error)) {
        this.counts.rejected += 1;
        return { admitted: false };
      }
      this.noteFailure(error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }

  snapshot(): BreakerSnapshot {
    return {
      state: this.state,
      consecutiveFailures: this.consecutive.state,
      failureThreshold: this.settings.failureThreshold,
      halfOpenAfterMs: this.settings.halfOpenAfterMs,
      ...this.counts,
      openedAt: this.openedAt,
      lastFailure: this.lastFailure,
    };
  }

  private probeDue(): boolean {
    return !this.probing && this.openedAt !== null && Date.now() - this.openedAt >= this.settings.halfOpenAfterMs;
  }

  private noteFailure(what: string): void {
    this.counts.failures += 1;
    this.lastFailure = what;
  }
}
