import { PageLimit } from '../../common/page-limit.js';

export class RecentPaymentsQuery {
  @PageLimit(20)
  limit?: number;
}
