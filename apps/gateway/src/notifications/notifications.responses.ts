import { ApiProperty } from '@nestjs/swagger';
import { PageLimit } from '../common/page-limit.js';

export class RecentNotificationsQuery {
  @PageLimit(50)
  limit?: number;
}

export class NotificationFactView {
  @ApiProperty({ example: 'ntf_…' })
  id!: string;

  @ApiProperty({ example: 'psp-eu' })
  node_id!: string;

  @ApiProperty({ description: "The provider's event id (unique per fact and node)." })
  event_id!: string;

  @ApiProperty({ example: 'captured' })
  kind!: string;

  @ApiProperty({ type: 'string', nullable: true })
  payment_id!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  refund_id!: string | null;

  @ApiProperty({ enum: ['applied', 'ignored', 'unmatched'], description: 'unmatched: no payment, or a state the fact does not fit (look into it).' })
  result!: string;

  @ApiProperty()
  detail!: string;

  @ApiProperty({ type: 'integer', description: 'Deliveries of the same fact after the first (applied once).' })
  duplicates!: number;

  @ApiProperty({ format: 'date-time' })
  received_at!: string;

  @ApiProperty({ format: 'date-time' })
  last_seen_at!: string;
}

export class NotificationListResponse {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Facts by result, all time.', example: { applied: 12, unmatched: 1 } })
  counts!: Record<string, number>;

  @ApiProperty({ type: 'integer', description: 'Repeated deliveries of facts already taken, all time (each applied once).' })
  duplicates!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Messages this gateway process refused since it started, by reason (nothing is stored for them): bad_signature, malformed, unknown_node, not_supported, unreachable, deferred.',
    example: { bad_signature: 2 },
  })
  refused!: Record<string, number>;

  @ApiProperty({ type: () => [NotificationFactView], description: 'Newest first.' })
  data!: NotificationFactView[];
}
