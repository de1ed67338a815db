import { type DynamicModule, Module } from '@nestjs/common';
import { REMOTE_NODE_HANDLER, remoteNodeController } from './subtree-host.controller.js';
import type { RemoteNodeHandler } from './subtree-host.handler.js';

/** The Nest module of a node-host: the wire operations under `prefix`, served by `handler`. */
@Module({})
export class RemoteNodeModule {
  static serve(handler: RemoteNodeHandler, prefix: string): DynamicModule {
    return {
      module: RemoteNodeModule,
      controllers: [remoteNodeController(prefix)],
      providers: [{ provide: REMOTE_NODE_HANDLER, useValue: handler }],
    };
  }
}
