import { Inject, Injectable } from '@nestjs/common';
import { childContext, detectBrand, type NodeContext, type RoutePreview, type RoutingFacts } from '#gateway-spi';
import type { Tree } from '#orchestration';
import { GATEWAY_CONFIG, TREE } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { PaymentsRepository } from '../payments/payments.repository.js';
import { requestContext } from '../tree/node-context.js';
import type { RoutingPreviewDto } from './dto/routing-preview.dto.js';

/** Placeholder payment id of a preview that names no payment (weighted levels then list shares). */
const PREVIEW_PAYMENT_ID = 'pay_preview';

/**
 * Where a payment would go, without moving money or storing anything: the routers' own preview
 * (quotes, breakers, every level's reason), down to the candidate leaves in failover order.
 */
@Injectable()
export class PreviewRoute {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly payments: PaymentsRepository,
  ) {}

  async execute(merchantId: string, dto: RoutingPreviewDto, traceId: string) {
    if (dto.payment_id) await this.payments.findOwned(merchantId, dto.payment_id);
    const number = dto.payment_method.card?.number;
    const facts: RoutingFacts = {
      amount: dto.amount,
      currency: dto.currency.toUpperCase(),
      method: dto.payment_method.type,
      ...(number && { brand: detectBrand(number) }),
      ...(dto.customer?.country && { country: dto.customer.country.toUpperCase() }),
      merchantId,
      paymentId: dto.payment_id ?? PREVIEW_PAYMENT_ID,
    };
    const preview = await previewTree(this.tree, facts, requestContext(traceId, this.config.requestTimeoutMs), Boolean(dto.payment_id));
    return {
      object: 'routing_preview',
      amount: facts.amount,
      currency: facts.currency,
      payment_id: dto.payment_id ?? null,
      candidates: preview.candidates.map((c) => ({ path: c.path.join('/'), eligible: c.eligible, fee: c.fee, reason: c.reason, breaker: c.breaker })),
      skipped: preview.skipped.map((s) => ({ path: s.path.join('/'), reason: s.reason })),
    };
  }
}

/** The root's preview; a tree that is a single leaf is described by its quote. */
export async function previewTree(tree: Tree, facts: RoutingFacts, ctx: NodeContext, pinned: boolean): Promise<RoutePreview> {
  const { root } = tree;
  if (root.preview) return root.preview(facts, ctx, { pinned });
  const quote = await root.quote(facts, childContext(ctx));
  const candidate = { path: [root.id], eligible: quote.eligible, fee: quote.eligible ? quote.fee : null, reason: quote.eligible ? '' : `not eligible: ${quote.reason}`, breaker: null };
  return { candidates: [candidate], skipped: [] };
}
