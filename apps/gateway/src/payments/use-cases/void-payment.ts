import { Inject, Injectable } from '@nestjs/common';
import type { Tree } from '#orchestration';
import { TREE } from '../../common/tokens.js';
import type { IdempotencyScope, StoredResponse } from '../../idempotency/idempotency.service.js';
import { SettleAuthorization } from './settle-authorization.js';

/** Releases an authorization that was never captured. */
@Injectable()
export class VoidPayment {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    private readonly settle: SettleAuthorization,
  ) {}

  execute(merchantId: string, paymentId: string, scope: IdempotencyScope, traceId: string): Promise<StoredResponse> {
    return this.settle.execute(
      merchantId,
      paymentId,
      { operation: 'void', to: 'voided', call: (address, ctx) => this.tree.root.void(address, ctx) },
      scope,
      traceId,
    );
  }
}
