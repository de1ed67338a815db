import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { DATABASE, PRISMA, PersistenceModule, type Database, type PrismaClient } from './index.js';

@Injectable()
class MerchantNames {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async add(id: string, name: string): Promise<string[]> {
    await this.prisma.merchant.create({ data: { id, name } });
    return (await this.prisma.merchant.findMany()).map((m) => m.name);
  }
}

describe('PersistenceModule', () => {
  it('opens and migrates the database for injection and closes it on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot({ dataDir: 'memory://' })],
      providers: [MerchantNames],
    }).compile();
    const app = await moduleRef.init();
    expect(await app.get(MerchantNames).add('m_1', 'Acme')).toEqual(['Acme']);
    const database = app.get<Database>(DATABASE);
    expect(database.kind).toBe('pglite');
    await app.close();
    await expect(database.prisma.merchant.count()).rejects.toThrow();
  });
});
