import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { closeTree, openTree, type Tree } from '#orchestration';
import { TREE } from './tokens.js';

/** Opens the nodes that hold connections (remote subtrees are described then) and closes them at shutdown. */
@Injectable()
export class TreeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(TREE) private readonly tree: Tree) {}

  async onApplicationBootstrap(): Promise<void> {
    await openTree(this.tree);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeTree(this.tree);
  }
}
