import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { VaultUnavailableError } from './vault-unavailable.error.js';

/** A key-encryption key and its id, which is stored beside what it sealed. */
export interface Kek {
  id: string;
  key: Buffer;
}

/** A short id that names a KEK without revealing anything of it. */
export function kekIdOf(key: Buffer): string {
  return createHash('sha256').update('canopy-kek-id').update(key).digest('hex').slice(0, 16);
}

/** The configured KEKs: the current one seals, it and the previous one (during a rotation) open. */
@Injectable()
export class VaultKeyRing {
  readonly current: Kek | undefined;
  /** The KEKs that open but no longer seal: what the re-seal moves away from. */
  readonly previous: readonly Kek[];

  constructor(@Inject(GATEWAY_CONFIG) config: Pick<GatewayConfig, 'vault'>) {
    const { key, previousKey } = config.vault;
    this.current = key && { id: kekIdOf(key), key };
    this.previous = previousKey && this.current && kekIdOf(previousKey) !== this.current.id ? [{ id: kekIdOf(previousKey), key: previousKey }] : [];
  }

  available(): boolean {
    return this.current !== undefined;
  }

  /** The KEK new seals use. */
  sealing(): Kek {
    if (!this.current) throw new VaultUnavailableError('the card vault is unavailable: CANOPY_VAULT_KEY is not configured');
    return this.current;
  }

  /** The KEK with id `kekId`; `what` names the sealed thing in the error when none is configured. */
  opening(kekId: string, what: string): Kek {
    const kek = [this.current, ...this.previous].find((candidate) => candidate?.id === kekId);
    if (kek) return kek;
    throw new VaultUnavailableError(
      this.current
        ? `${what} is sealed by vault key ${kekId}, which is neither CANOPY_VAULT_KEY nor CANOPY_VAULT_KEY_PREVIOUS`
        : `the card vault is unavailable: CANOPY_VAULT_KEY is not configured (${what} is sealed by vault key ${kekId})`,
    );
  }
}
