import { Body, Controller, Delete, Get, Param, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedMerchant, CurrentMerchant, MerchantAuthGuard } from '../auth/index.js';
import { ApiErrors, ApiMerchantAuth } from '../docs/api-docs.decorators.js';
import { CreateWebhookEndpointDto } from './dto/create-webhook-endpoint.dto.js';
import {
  WebhookEndpointCreatedResponse,
  WebhookEndpointDeletedResponse,
  WebhookEndpointListResponse,
  WebhookEndpointResponse,
} from './dto/webhook-endpoint.responses.js';
import { presentWebhookEndpoint } from './webhook-endpoint.presenter.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

const ENDPOINT_ID = ApiParam({ name: 'id', description: 'A webhook endpoint id (`we_…`).' });

@ApiTags('webhooks')
@ApiMerchantAuth()
@Controller('v1/webhook_endpoints')
@UseGuards(MerchantAuthGuard)
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  /** 201 with the secret, shown this once. */
  @ApiOperation({ summary: 'Create a webhook endpoint', description: 'Deliveries are signed with the secret in this answer (shown once).' })
  @ApiCreatedResponse({ type: WebhookEndpointCreatedResponse })
  @ApiErrors(400)
  @Post()
  async create(@CurrentMerchant() merchant: AuthenticatedMerchant, @Body() dto: CreateWebhookEndpointDto) {
    return presentWebhookEndpoint(await this.endpoints.create(merchant.id, dto), { withSecret: true });
  }

  @ApiOperation({ summary: 'List webhook endpoints' })
  @ApiOkResponse({ type: WebhookEndpointListResponse })
  @Get()
  async list(@CurrentMerchant() merchant: AuthenticatedMerchant) {
    const endpoints = await this.endpoints.list(merchant.id);
    return { object: 'list', data: endpoints.map((endpoint) => presentWebhookEndpoint(endpoint)), has_more: false };
  }

  @ApiOperation({ summary: 'Get a webhook endpoint' })
  @ENDPOINT_ID
  @ApiOkResponse({ type: WebhookEndpointResponse })
  @ApiErrors(404)
  @Get(':id')
  async get(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string) {
    return presentWebhookEndpoint(await this.endpoints.findOwned(merchant.id, id));
  }

  @ApiOperation({ summary: 'Delete a webhook endpoint', description: 'Its pending deliveries are cancelled.' })
  @ENDPOINT_ID
  @ApiOkResponse({ type: WebhookEndpointDeletedResponse })
  @ApiErrors(404)
  @Delete(':id')
  async delete(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string) {
    await this.endpoints.delete(merchant.id, id);
    return { id, object: 'webhook_endpoint', deleted: true };
  }
}
