import 'reflect-metadata';
import { Global, Injectable, Module } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { PersistenceModule } from '#persistence';
import { GATEWAY_CONFIG, TREE } from '../common/tokens.js';
import { MetricsService } from '../metrics/index.js';
import { VaultOpsController } from './http/vault-ops.controller.js';
import { testKey } from './test-support/vault-on.js';
import { Vault, VaultModule, VaultPurge, VaultReseal } from './index.js';

@Global()
@Module({
  providers: [
    { provide: GATEWAY_CONFIG, useValue: { vault: { key: testKey(4), tokenTtlMs: 60_000 } } },
    { provide: TREE, useValue: { nodes: new Map() } },
  ],
  exports: [GATEWAY_CONFIG, TREE],
})
class ConfigForTest {}

@Injectable()
class Tokenizing {
  constructor(readonly vault: Vault) {}
}
@Module({ imports: [VaultModule], providers: [Tokenizing], exports: [Tokenizing] })
class TokenizingFeature {}

@Injectable()
class Charging {
  constructor(readonly vault: Vault) {}
}
@Module({ imports: [VaultModule], providers: [Charging], exports: [Charging] })
class ChargingFeature {}

describe('VaultModule', () => {
  it('gives every feature that imports it the same vault (one instance: a CVC held at tokenization is there for the payment)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigForTest, PersistenceModule.forRoot({ dataDir: 'memory://' }), TokenizingFeature, ChargingFeature],
    }).compile();
    const app = await moduleRef.init();
    try {
      const { vault } = app.get(Tokenizing);
      expect(app.get(Charging).vault).toBe(vault);
      const token = await vault.tokenize('mer_1', { number: '4242424242424242', expMonth: 3, expYear: 2032, cvc: '321' });
      const charging = app.get(Charging).vault;
      expect(charging.takeCvc(token.id)).toBe('321');
      expect(await charging.openCard(token.card.id)).toEqual({ number: '4242424242424242', expMonth: 3, expYear: 2032 });
      expect(await app.get(VaultReseal, { strict: false }).run()).toBe(0);
      expect(await app.get(VaultPurge, { strict: false }).run()).toBe(0);
      // One module instance: its ops controller is mapped once, its gauge registered once.
      const controllers = [...app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()]);
      expect(controllers.filter((wrapper) => wrapper.metatype === VaultOpsController)).toHaveLength(1);
      expect(app.get(MetricsService, { strict: false }).registry.getSingleMetric('canopy_vault_cards_on_previous_keys')).toBeDefined();
    } finally {
      await app.close();
    }
  });
});
