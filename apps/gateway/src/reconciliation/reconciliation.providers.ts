import { PendingClaims } from './pending-claims.js';
import { ReconcilePending } from './reconcile-pending.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationJob } from './reconciliation.job.js';

export const RECONCILIATION_CONTROLLERS = [ReconciliationController];
export const RECONCILIATION_PROVIDERS = [PendingClaims, ReconcilePending, ReconciliationJob];
