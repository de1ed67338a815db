import 'reflect-metadata';
import type { AddressInfo, Server } from 'node:net';
import type { INestMicroservice, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { NodeLogger } from '#gateway-spi';
import type { Tree } from '#orchestration';
import { patternPrefixOf, type RemoteTarget } from '../wire/remote-target.js';
import { RemoteNodeHandler } from './subtree-host.handler.js';
import { RemoteNodeModule } from './subtree-host.module.js';

export interface ServeSubtreeOptions {
  /** NATS queue group; node-hosts serving one subject in one group share its load. Default: the subject. */
  queue?: string;
  logger?: NodeLogger;
  nestLogger?: LogLevel[] | false;
}

export interface ServedSubtree {
  app: INestMicroservice;
  handler: RemoteNodeHandler;
  /** Where it listens: for TCP with port 0, the port the system chose. */
  target: RemoteTarget;
  /** Graceful stop: refuses new requests, waits for those in flight (bounded), then closes the transport. */
  close(drainTimeoutMs?: number): Promise<void>;
}

/** How long a stopping node-host keeps its transport open after the last handler returned. */
const REPLY_FLUSH_MS = 100;

export function microserviceOptions(target: RemoteTarget, queue?: string): MicroserviceOptions {
  if (target.transport === 'tcp') return { transport: Transport.TCP, options: { host: target.host, port: target.port } };
  return { transport: Transport.NATS, options: { servers: target.servers, queue: queue ?? target.subject, name: `canopy-node-host ${target.subject}` } };
}

/** Serves `tree` (its root is the subtree's top node) over `target` as a Nest microservice. */
export async function serveSubtree(tree: Tree, target: RemoteTarget, options: ServeSubtreeOptions = {}): Promise<ServedSubtree> {
  const handler = new RemoteNodeHandler(tree, options.logger ? { logger: options.logger } : {});
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(
    RemoteNodeModule.serve(handler, patternPrefixOf(target)),
    { ...microserviceOptions(target, options.queue), logger: options.nestLogger ?? ['error', 'warn'] },
  );
  await app.listen();
  const listening: RemoteTarget = target.transport === 'tcp' ? { ...target, port: (app.unwrap<Server>().address() as AddressInfo).port } : target;
  let closing: Promise<void> | undefined;
  return {
    app,
    handler,
    target: listening,
    close: (drainTimeoutMs) =>
      (closing ??= (async () => {
        await handler.drain(drainTimeoutMs);
        // The last answers leave after their handlers return (Nest writes them on a later tick);
        // closing the transport at once would cut them off.
        await new Promise((resolve) => setTimeout(resolve, REPLY_FLUSH_MS));
        await app.close();
      })()),
  };
}

