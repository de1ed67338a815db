import { Inject, Injectable } from '@nestjs/common';
import { PRISMA, type PrismaClient } from '#persistence';

/** A vault key as stored: sealed by the KEK `kekId`. */
export interface StoredVaultKey {
  id: string;
  sealedKey: string;
  kekId: string;
}

/** The vault's own keys (the fingerprint key), each sealed by a KEK. */
@Injectable()
export class VaultKeysRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  find(id: string): Promise<StoredVaultKey | null> {
    return this.prisma.vaultKey.findUnique({ where: { id }, select: { id: true, sealedKey: true, kekId: true } });
  }

  /** Stores the key unless one with its id exists (`ON CONFLICT DO NOTHING`): the first process to store one wins. */
  async insertIfAbsent(key: StoredVaultKey): Promise<void> {
    await this.prisma.vaultKey.createMany({ data: [key], skipDuplicates: true });
  }

  /** The keys sealed by one of `kekIds`. */
  sealedBy(kekIds: readonly string[]): Promise<StoredVaultKey[]> {
    return this.prisma.vaultKey.findMany({ where: { kekId: { in: [...kekIds] } }, select: { id: true, sealedKey: true, kekId: true }, orderBy: { id: 'asc' } });
  }

  /** Replaces the sealed key only if the row still holds what was read; false when it no longer does. */
  async replace(read: StoredVaultKey, next: Pick<StoredVaultKey, 'sealedKey' | 'kekId'>): Promise<boolean> {
    const { count } = await this.prisma.vaultKey.updateMany({ where: { id: read.id, kekId: read.kekId, sealedKey: read.sealedKey }, data: next });
    return count > 0;
  }
}
