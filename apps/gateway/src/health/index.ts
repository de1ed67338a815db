/** The health feature's public file. */
export { HealthModule } from './health.module.js';
