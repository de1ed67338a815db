import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from '../auth/index.js';
import { ApiAdminAuth } from '../docs/api-docs.decorators.js';
import { MetricsService } from '../metrics/index.js';
import { NotificationWrites } from './persistence/notification-writes.js';
import { NotificationListResponse, RecentNotificationsQuery } from './notifications.responses.js';

/** What providers notified, for ops: every fact with how it was taken (the dashboard polls it). */
@ApiTags('ops')
@ApiAdminAuth()
@Controller('v1/ops')
@UseGuards(AdminAuthGuard)
export class OpsNotificationsController {
  constructor(
    private readonly writes: NotificationWrites,
    private readonly metrics: MetricsService,
  ) {}

  @ApiOperation({
    summary: 'Recent provider notification facts',
    description: 'Newest first, with how each was taken: applied, ignored, unmatched; all-time counts, repeated deliveries, and the messages this process refused.',
  })
  @ApiOkResponse({ type: NotificationListResponse })
  @Get('notifications')
  async recent(@Query() query: RecentNotificationsQuery) {
    const [rows, { counts, duplicates }, refused] = await Promise.all([this.writes.recent(query.limit ?? 50), this.writes.countsByResult(), this.metrics.refusedNotifications()]);
    return {
      object: 'list',
      counts,
      duplicates,
      refused,
      data: rows.map((row) => ({
        id: row.id,
        node_id: row.nodeId,
        event_id: row.eventId,
        kind: row.kind,
        payment_id: row.paymentId,
        refund_id: row.refundId,
        result: row.result,
        detail: row.detail,
        duplicates: row.duplicates,
        received_at: row.receivedAt.toISOString(),
        last_seen_at: row.lastSeenAt.toISOString(),
      })),
    };
  }
}
