import { type DynamicModule, Module } from '@nestjs/common';
import type { Tree } from '#orchestration';
import { PersistenceModule } from '#persistence';
import type { GatewayConfig } from '../config/gateway-config.js';
import { GATEWAY_CONFIG, TREE } from './tokens.js';
import { TreeLifecycle } from './tree-lifecycle.js';

export interface CoreModuleOptions {
  config: GatewayConfig;
  tree: Tree;
}

/**
 * What every feature may inject: the config, the tree (opened at start, closed at shutdown) and,
 * through the global PersistenceModule, the database for the features' repositories.
 */
@Module({})
export class CoreModule {
  static forRoot({ config, tree }: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      imports: [PersistenceModule.forRoot({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, applyMigrations: true })],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, { provide: TREE, useValue: tree }, TreeLifecycle],
      exports: [GATEWAY_CONFIG, TREE],
    };
  }
}
