import 'reflect-metadata';
import { Global, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { PersistenceModule } from '#persistence';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import { testKey } from './test-support/vault-on.js';
import { Vault, VaultModule, VaultPurge, VaultReseal } from './index.js';

@Global()
@Module({ providers: [{ provide: GATEWAY_CONFIG, useValue: { vault: { key: testKey(4), tokenTtlMs: 60_000 } } }], exports: [GATEWAY_CONFIG] })
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
  it('gives every feature that imports it the same vault: a CVC held at tokenization is there for the payment', async () => {
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
    } finally {
      await app.close();
    }
  });
});
