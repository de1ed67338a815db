import { Inject, Injectable } from '@nestjs/common';
import { detectBrand, type RoutePreview, type RoutingFacts } from '#gateway-spi';
import type { Tree } from '#orchestration';
import { requestContext } from '../common/node-context.js';
import { Refusal } from '../common/refusal.js';
import { GATEWAY_CONFIG, TREE } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { RequestTrace } from '../logging/request-trace.js';
import { PaymentsRepository } from '../payments/index.js';
import { previewTree } from './preview-tree.js';

/** Placeholder payment id of a preview that names no payment (weighted levels then list shares). */
const PREVIEW_PAYMENT_ID = 'pay_preview';

/** A payment as far as routing looks at it: the body of a payment, card number optional. */
export interface PreviewRouteCommand extends RequestTrace {
  merchantId: string;
  amount: number;
  /** ISO 4217, any case. */
  currency: string;
  method: 'card';
  /** Only its brand is used (no Luhn check). */
  cardNumber?: string;
  /** ISO 3166-1 alpha-2, any case. */
  customerCountry?: string;
  /** An existing payment of the merchant: a weighted split then picks as it did for that payment. */
  paymentId?: string;
  /** A merchant-initiated payment of a saved card (`off_session`): routers may route it apart. */
  offSession?: boolean;
}

/** Where the payment would go: the candidate leaves in failover order, and the nodes left out. */
export interface RoutingPreview extends RoutePreview {
  /** What the routers were asked about (currency and country upper-cased, the card's brand). */
  facts: RoutingFacts;
  /** The payment the weighted split was pinned to; null when the command named none. */
  pinnedTo: string | null;
}

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

  async execute(command: PreviewRouteCommand): Promise<RoutingPreview | Refusal> {
    const { merchantId, paymentId, cardNumber, customerCountry } = command;
    if (paymentId && !(await this.payments.findOwned(merchantId, paymentId))) return Refusal.notFound('payment', paymentId);
    const facts: RoutingFacts = {
      amount: command.amount,
      currency: command.currency.toUpperCase(),
      method: command.method,
      ...(cardNumber && { brand: detectBrand(cardNumber) }),
      ...(customerCountry && { country: customerCountry.toUpperCase() }),
      merchantId,
      ...(command.offSession && { initiator: 'merchant' as const }),
      paymentId: paymentId ?? PREVIEW_PAYMENT_ID,
    };
    const preview = await previewTree(this.tree, facts, requestContext(command, this.config.requestTimeoutMs), Boolean(paymentId));
    return { facts, pinnedTo: paymentId ?? null, ...preview };
  }
}
