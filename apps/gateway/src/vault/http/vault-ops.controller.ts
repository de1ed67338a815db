import { Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from '../../auth/index.js';
import { ApiAdminAuth } from '../../docs/api-docs.decorators.js';
import { VaultReseal } from '../vault-reseal.js';
import { VaultStatus } from '../vault-status.js';
import { VaultResealResponse, VaultStatusResponse } from './vault-ops.responses.js';

@ApiTags('ops')
@ApiAdminAuth()
@Controller('v1/ops/vault')
@UseGuards(AdminAuthGuard)
export class VaultOpsController {
  constructor(
    private readonly status: VaultStatus,
    private readonly reseal: VaultReseal,
  ) {}

  @ApiOperation({
    summary: 'Vault keys and what they seal',
    description: 'The vault keys of this process and, across the shared database, how many cards each key seals: a key rotation is done when cards_on_other_keys is 0.',
  })
  @ApiOkResponse({ type: VaultStatusResponse })
  @Get()
  async show(): Promise<VaultStatusResponse> {
    const status = await this.status.read();
    return {
      object: 'vault',
      available: status.available,
      current_key_id: status.currentKeyId,
      previous_key_id: status.previousKeyId,
      cards: { total: status.cards.total, by_key_id: status.cards.byKeyId },
      cards_on_other_keys: status.cardsOnOtherKeys,
      fingerprint_key_id: status.fingerprintKeyId,
    };
  }

  @ApiOperation({
    summary: 'Re-seal vault cards now',
    description:
      'Runs one re-seal pass in this process (after the one in progress, if any): cards sealed by CANOPY_VAULT_KEY_PREVIOUS are re-sealed with CANOPY_VAULT_KEY. ' +
      'Without a previous key there is nothing to move.',
  })
  @ApiOkResponse({ type: VaultResealResponse })
  @Post('reseal')
  @HttpCode(200)
  async resealNow(): Promise<VaultResealResponse> {
    const resealed = await this.reseal.run();
    return { object: 'vault_reseal', resealed, cards_on_other_keys: await this.status.cardsOnOtherKeys() };
  }
}
