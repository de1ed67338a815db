import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/index.js';
import { PaymentsModule } from '../payments/index.js';
import { NotificationWrites } from './persistence/notification-writes.js';
import { NotificationsController } from './notifications.controller.js';
import { OpsNotificationsController } from './ops-notifications.controller.js';
import { ReceiveNotification } from './receive-notification.js';

/**
 * Provider notifications: `POST /v1/providers/{node_id}/notifications` hands the signed message to
 * its node, applies the facts once through the payments' state machine, and shows ops what came in.
 */
@Module({
  imports: [PaymentsModule, MetricsModule],
  controllers: [NotificationsController, OpsNotificationsController],
  providers: [NotificationWrites, ReceiveNotification],
  exports: [NotificationWrites],
})
export class NotificationsModule {}
