import { Inject, Injectable } from '@nestjs/common';
import type { WebhookEndpoint } from '#persistence';
import { newId } from '../common/ids.js';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { Refusal } from '../common/refusal.js';
import type { CreateWebhookEndpointDto } from './dto/create-webhook-endpoint.dto.js';
import { refusedHost } from './receiver-address.js';
import { sealSecret } from '../common/secret-box.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { generateWebhookSecret } from './webhook-signature.js';

/** Bounds the fan-out of one state change. */
export const MAX_ENDPOINTS_PER_MERCHANT = 16;

/** A merchant's webhook endpoints; another merchant's id is indistinguishable from a missing one. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** The new endpoint, with its secret in clear for the creation answer (stored sealed when a key is set). */
  async create(merchantId: string, dto: CreateWebhookEndpointDto): Promise<WebhookEndpoint> {
    // Names are checked again at every delivery, on the address actually connected to.
    const refused = this.config.webhooks.allowPrivateNetworks ? null : refusedHost(new URL(dto.url));
    if (refused) {
      throw Refusal.invalid('webhook_url_not_allowed', `Webhooks are only delivered to public addresses: ${refused}.`, 'url');
    }
    const existing = await this.endpoints.countActive(merchantId);
    if (existing >= MAX_ENDPOINTS_PER_MERCHANT) {
      throw Refusal.invalid(
        'webhook_endpoint_limit',
        `A merchant may have at most ${MAX_ENDPOINTS_PER_MERCHANT} webhook endpoints; delete one first.`,
      );
    }
    const secret = generateWebhookSecret();
    const endpoint = await this.endpoints.create({
      id: newId('we'),
      merchantId,
      url: dto.url,
      events: dto.events,
      secret: sealSecret(secret, this.config.webhooks.secretsKey),
    });
    return { ...endpoint, secret };
  }

  list(merchantId: string): Promise<WebhookEndpoint[]> {
    return this.endpoints.listActive(merchantId);
  }

  async findOwned(merchantId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.findActive(merchantId, id);
    if (!endpoint) throw Refusal.notFound('webhook endpoint', id);
    return endpoint;
  }

  /** Removes the endpoint from the API and cancels its pending deliveries. */
  async delete(merchantId: string, id: string): Promise<void> {
    if (!(await this.endpoints.delete(merchantId, id, new Date()))) throw Refusal.notFound('webhook endpoint', id);
  }
}
