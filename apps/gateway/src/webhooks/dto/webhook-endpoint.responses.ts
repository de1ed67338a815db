import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES } from '../webhook-event-types.js';

// Response schemas of the webhook endpoints API for the OpenAPI document (webhook-endpoint.presenter.ts
// builds the bodies; test/e2e/openapi.e2e.spec.ts checks real answers against these schemas).

export class WebhookEndpointResponse {
  @ApiProperty({ example: 'we_…' })
  id!: string;

  @ApiProperty({ enum: ['webhook_endpoint'] })
  object!: string;

  @ApiProperty({ example: 'https://example.com/hooks/canopy' })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  events!: string[];

  @ApiProperty({ enum: ['enabled', 'disabled'], description: '`disabled` after the receiver answered 410 Gone.' })
  status!: string;

  @ApiProperty({ type: 'string', nullable: true })
  disabled_reason!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class WebhookEndpointCreatedResponse extends WebhookEndpointResponse {
  @ApiProperty({ description: 'Signs every delivery (Standard Webhooks); shown in this answer only.', example: 'whsec_…' })
  secret!: string;
}

export class WebhookEndpointListResponse {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: () => [WebhookEndpointResponse] })
  data!: WebhookEndpointResponse[];

  @ApiProperty()
  has_more!: boolean;
}

export class WebhookEndpointDeletedResponse {
  @ApiProperty({ example: 'we_…' })
  id!: string;

  @ApiProperty({ enum: ['webhook_endpoint'] })
  object!: string;

  @ApiProperty({ enum: [true] })
  deleted!: boolean;
}
