/** The shutdown feature's public file. */
export { ShutdownModule } from './shutdown.module.js';
export { exitIfShutdownHangs, GracefulShutdown, registerGracefulShutdown } from './graceful-shutdown.js';
