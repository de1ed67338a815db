import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { EmptyResponseException } from '@nestjs/microservices/errors/empty-response.exception.js';
import type { NodeContext } from '#gateway-spi';
import { filter, firstValueFrom, fromEvent, takeUntil, timeout, TimeoutError, type Observable } from 'rxjs';
import { isWireError, patternOf, WIRE_VERSION, type RemoteOperation, type WireError, type WireRequest } from '../wire/protocol.js';
import { describeTarget, patternPrefixOf, type RemoteTarget } from '../wire/remote-target.js';

/**
 * What became of one request, in the terms that matter for money:
 * - `reply`: the node-host answered with the operation's result.
 * - `refused`: the node-host answered with a typed error (see `WireErrorKind`).
 * - `not-delivered`: the request never reached a node-host (connection refused, not connected,
 *   no NATS responders, deadline spent before sending): nothing was done.
 * - `no-reply`: the request was sent but no answer came back in time (lost reply, node-host died,
 *   late answer): the subtree may have acted.
 */
export type Exchange<T> =
  | { kind: 'reply'; value: T }
  | { kind: 'refused'; error: WireError }
  | { kind: 'not-delivered'; why: string }
  | { kind: 'no-reply'; why: string };

const GAVE_UP = Symbol('gave up');

/**
 * How long past the deadline the answer is still awaited: the node-host stops its subtree before the
 * deadline (`serverBudget`), so its answer is due; waiting a moment for it keeps the leaf's path.
 */
export const REPLY_GRACE_MS = 50;

/** Fires when the caller cancels; the deadline's own abort (a TimeoutError) is left to the timeout. */
function cancelled(signal: AbortSignal): Observable<unknown> {
  return fromEvent(signal, 'abort').pipe(filter(() => !(signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError')));
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

/** Resolves with `work`'s outcome, or `undefined` once `signal` aborts, whichever comes first. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** One client proxy to one remote target; every call carries the caller's remaining budget and trace id. */
export class RemoteChannel {
  readonly target: string;
  private readonly client: ClientProxy;
  private readonly prefix: string;
  private readonly counts = { sent: 0, inFlight: 0 };

  constructor(
    remote: RemoteTarget,
    clientName: string,
  ) {
    this.target = `${remote.transport} ${describeTarget(remote)}`;
    this.prefix = patternPrefixOf(remote);
    this.client =
      remote.transport === 'tcp'
        ? ClientProxyFactory.create({ transport: Transport.TCP, options: { host: remote.host, port: remote.port } })
        : ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: remote.servers, name: clientName } });
  }

  /**
   * Sends `body` as `operation` under `ctx`'s deadline: the remaining budget travels with it (the
   * node-host enforces it), and rxjs `timeout` enforces it here (plus `REPLY_GRACE_MS`); a caller's
   * cancellation of `ctx.signal` ends the wait at once.
   */
  async call<T>(operation: RemoteOperation, body: unknown, ctx: NodeContext): Promise<Exchange<T>> {
    if (ctx.signal.aborted || ctx.deadline <= Date.now()) {
      return { kind: 'not-delivered', why: 'the deadline passed before the request was sent' };
    }
    // Connecting first tells "never left this process" apart from "sent, then lost".
    try {
      const connected = await raceAbort(this.client.connect().then(() => true), ctx.signal);
      if (!connected) return { kind: 'not-delivered', why: 'not connected before the deadline' };
    } catch (error) {
      return { kind: 'not-delivered', why: `cannot connect: ${messageOf(error)}` };
    }
    const budgetMs = ctx.deadline - Date.now();
    if (budgetMs <= 0) return { kind: 'not-delivered', why: 'the deadline passed before the request was sent' };
    const request: WireRequest = { v: WIRE_VERSION, traceId: ctx.traceId, budgetMs, body };
    this.counts.sent += 1;
    this.counts.inFlight += 1;
    try {
      const answer = await firstValueFrom(
        this.client.send<T, WireRequest>(patternOf(this.prefix, operation), request).pipe(
          timeout({ first: budgetMs + REPLY_GRACE_MS }),
          takeUntil(cancelled(ctx.signal)),
        ),
        { defaultValue: GAVE_UP },
      );
      if (answer === GAVE_UP) return { kind: 'no-reply', why: 'the caller gave up before the answer arrived' };
      return { kind: 'reply', value: answer as T };
    } catch (error) {
      if (error instanceof TimeoutError) return { kind: 'no-reply', why: `no answer within the ${budgetMs} ms deadline` };
      if (isWireError(error)) return { kind: 'refused', error };
      // NATS answers an empty message when no node-host subscribes to the subject.
      if (error instanceof EmptyResponseException) return { kind: 'not-delivered', why: 'no node-host is listening' };
      if (typeof error === 'string') return { kind: 'refused', error: { kind: 'bad_request', message: error } };
      if (typeof error === 'object' && error !== null && !(error instanceof Error)) {
        return { kind: 'refused', error: { kind: 'node_error', message: messageOf(error) } };
      }
      return { kind: 'no-reply', why: messageOf(error) };
    } finally {
      this.counts.inFlight -= 1;
    }
  }

  /** Requests handed to the transport so far, and those of them still waiting for an answer. */
  traffic(): { sent: number; inFlight: number } {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
