import { ApiProperty } from '@nestjs/swagger';

// Response schemas of the vault's ops API for the OpenAPI document (the controller builds the bodies).

const KEK_ID = { type: 'string', nullable: true, example: '3f9a1c0d5e7b2a64' } as const;

export class VaultCardCountsView {
  @ApiProperty({ type: 'integer', description: 'Cards in the vault.' })
  total!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { '3f9a1c0d5e7b2a64': 1200, '9b0e44d2c1a87f35': 3 },
    description: 'Cards by the id of the vault key (KEK) that seals their data key.',
  })
  by_key_id!: Record<string, number>;
}

export class VaultStatusResponse {
  @ApiProperty({ enum: ['vault'] })
  object!: string;

  @ApiProperty({ description: 'false: this process has no CANOPY_VAULT_KEY (tokens and saved cards answer 503 vault_unavailable).' })
  available!: boolean;

  @ApiProperty({ ...KEK_ID, description: "Id of this process's CANOPY_VAULT_KEY (a hash: it reveals nothing of the key); null without one." })
  current_key_id!: string | null;

  @ApiProperty({ ...KEK_ID, description: "Id of this process's CANOPY_VAULT_KEY_PREVIOUS; null outside a rotation." })
  previous_key_id!: string | null;

  @ApiProperty({ type: () => VaultCardCountsView })
  cards!: VaultCardCountsView;

  @ApiProperty({
    type: 'integer',
    description: 'Cards sealed by a key other than current_key_id. Drop CANOPY_VAULT_KEY_PREVIOUS only once this is 0 and every process runs the new key.',
  })
  cards_on_other_keys!: number;

  @ApiProperty({ ...KEK_ID, description: 'Id of the vault key that seals the card fingerprint key; null before the first card.' })
  fingerprint_key_id!: string | null;
}

export class VaultResealResponse {
  @ApiProperty({ enum: ['vault_reseal'] })
  object!: string;

  @ApiProperty({ type: 'integer', description: 'Cards this pass re-sealed with the current key.' })
  resealed!: number;

  @ApiProperty({ type: 'integer', description: 'Cards still sealed by a key other than the current one after the pass.' })
  cards_on_other_keys!: number;
}
