import type { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

/**
 * Runs `round` again and again, one at a time, pausing `intervalMs` between rounds (0: never starts).
 * A round that returns `true` has more work waiting, so the next one starts at once. The timer does
 * not keep the process alive; `stop()` cancels the next round and waits for the one in progress.
 */
export class BackgroundLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  /** `what` names a round in the failure line (`<what> failed: …`), logged at `failureLevel`. */
  constructor(
    private readonly what: string,
    private readonly intervalMs: number,
    private readonly round: () => Promise<boolean | void>,
    private readonly logger: Logger,
    private readonly failureLevel: 'warn' | 'error' = 'error',
  ) {}

  start(): void {
    if (this.intervalMs > 0) this.schedule(this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const run = this.round().then(
        (more) => more === true,
        (error: unknown) => {
          this.logger[this.failureLevel](`${this.what} failed: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        },
      );
      this.running = run;
      void run.then((more) => this.schedule(more ? 0 : this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }
}

/** A job that is one BackgroundLoop: it starts once the application is up and stops with it. */
export abstract class BackgroundJob implements OnApplicationBootstrap, OnModuleDestroy {
  protected constructor(private readonly loop: BackgroundLoop) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Waits for the round in progress. */
  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
