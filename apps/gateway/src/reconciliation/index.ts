/** The reconciliation feature's public file. */
export { ReconciliationModule } from './reconciliation.module.js';
export { ReconcilePending, type ReconciliationReport } from './reconcile-pending.js';
