import { Module } from '@nestjs/common';
import { GracefulShutdown } from './graceful-shutdown.js';

/** The drain before the application closes (graceful-shutdown.ts). */
@Module({
  providers: [GracefulShutdown],
  exports: [GracefulShutdown],
})
export class ShutdownModule {}
