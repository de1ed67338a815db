/** The ops dashboard's public file. */
export { OpsDashboardModule } from './ops-dashboard.module.js';
