import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * Drains before closing. When the application starts shutting down (SIGTERM with shutdown hooks,
 * or `app.close()`), new requests are answered 503 `shutting_down` (readiness probes included, so
 * load balancers stop sending traffic) while the server keeps listening; the shutdown then waits
 * for the requests already in flight, at most `shutdownTimeoutMs`, before the server closes and
 * the other shutdown hooks (webhook dispatcher, reconciler, database) run.
 */
@Injectable()
export class GracefulShutdown implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private inFlight = 0;
  private draining = false;
  private idle: (() => void) | undefined;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  get isDraining(): boolean {
    return this.draining;
  }

  requestStarted(): void {
    this.inFlight += 1;
  }

  requestFinished(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) this.idle?.();
  }

  /** The first shutdown hook: from here on, new requests are refused. */
  onModuleDestroy(): void {
    this.draining = true;
    this.logger.log(`shutting down: refusing new requests, draining ${this.inFlight} in flight`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const timeoutMs = this.config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    if (this.inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      new Promise<true>((resolve) => (this.idle = () => resolve(true))),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (drained) this.logger.log('in-flight requests drained');
    else this.logger.warn(`${this.inFlight} requests still in flight after ${timeoutMs} ms; closing anyway`);
  }
}

/** Counts in-flight requests and refuses new ones while draining. Register before `app.init()`. */
export function registerGracefulShutdown(app: NestFastifyApplication): void {
  const shutdown = app.get(GracefulShutdown);
  app.getHttpAdapter().getInstance().addHook('onRequest', async (request, reply) => {
    shutdown.requestStarted();
    // 'close' fires once the answer is sent, and also when the client goes away first.
    reply.raw.once('close', () => shutdown.requestFinished());
    if (shutdown.isDraining) {
      return reply
        .code(503)
        .header('connection', 'close')
        .header('retry-after', '1')
        .send({
          error: {
            type: 'api_error',
            code: 'shutting_down',
            message: 'This gateway process is shutting down; retry the request (with the same Idempotency-Key).',
            request_id: String(request.id),
          },
        });
    }
  });
}

/**
 * Backstop for `npm start`: once a shutdown signal arrived, exit anyway if the graceful shutdown
 * (drain, then closing the server, jobs and database) outlives its budget by five seconds.
 */
export function exitIfShutdownHangs(config: Pick<GatewayConfig, 'shutdownTimeoutMs'>): void {
  const limitMs = (config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) + 5_000;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        console.error(`Canopy: the shutdown is still running after ${limitMs} ms; exiting.`);
        process.exit(1);
      }, limitMs).unref();
    });
  }
}
