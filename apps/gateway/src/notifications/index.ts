/** The provider notifications feature's public file. */
export { NotificationsModule } from './notifications.module.js';
export { NotificationWrites } from './persistence/notification-writes.js';
