import { Injectable } from '@nestjs/common';
import { MetricsService } from '../metrics/index.js';
import { VaultStatus } from './vault-status.js';

/** The vault gauge of /metrics, counted in the shared database at scrape time. */
@Injectable()
export class VaultGauges {
  constructor(metrics: MetricsService, status: VaultStatus) {
    metrics.registerDatabaseGauge(
      'canopy_vault_cards_on_previous_keys',
      'Vault cards sealed by a key other than the current CANOPY_VAULT_KEY, across the shared database: 0 before the previous key may be dropped.',
      () => status.cardsOnOtherKeys(),
    );
  }
}
