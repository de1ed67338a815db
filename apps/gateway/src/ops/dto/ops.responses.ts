import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PaymentResponse } from '../../payments/index.js';
import { FAULT_MODES } from './set-fault.dto.js';

// Response schemas of the ops API for the OpenAPI document (tree-view.ts and the ops controllers
// build the bodies; test/e2e/openapi.e2e.spec.ts checks real answers against these schemas).

export class MerchantResponse {
  @ApiProperty({ example: 'mer_…' })
  id!: string;

  @ApiProperty({ enum: ['merchant'] })
  object!: string;

  @ApiProperty({ example: 'Acme' })
  name!: string;

  @ApiProperty({ type: [String], example: ['https://shop.example'] })
  allowed_origins!: string[];

  @ApiProperty({ description: 'Routers may retry its opt_in declines (do_not_honor) on another provider.' })
  cascade_opt_in!: boolean;
}

export class MerchantCreatedResponse extends MerchantResponse {
  @ApiProperty({ description: 'The secret key. Shown once: only its hash is kept.', example: 'sk_test_…' })
  api_key!: string;

  @ApiProperty({
    description: 'Safe in a browser: it can only create tokens (POST /v1/tokens). Shown once: only its hash is kept.',
    example: 'pk_test_…',
  })
  publishable_key!: string;
}

export class FaultView {
  @ApiProperty({ enum: FAULT_MODES })
  mode!: string;

  @ApiProperty({ type: 'integer', nullable: true })
  latency_ms!: number | null;

  @ApiProperty({ minimum: 0, maximum: 1 })
  rate!: number;
}

export class FaultResponse {
  @ApiProperty({ example: 'sim-alpha' })
  node_id!: string;

  @ApiProperty({ type: () => FaultView, nullable: true, description: 'null: no fault injected.' })
  fault!: FaultView | null;
}

export class CapabilitiesView {
  @ApiProperty({ type: [String], example: ['EUR', 'GBP'] })
  currencies!: string[];

  @ApiProperty({ type: [String], example: ['card'] })
  payment_methods!: string[];

  @ApiProperty({ type: [String], nullable: true, description: 'null: any country.' })
  countries!: string[] | null;

  @ApiProperty()
  partial_capture!: boolean;

  @ApiProperty()
  multiple_refunds!: boolean;
}

export class HealthView {
  @ApiProperty({ enum: ['up', 'degraded', 'down'] })
  status!: string;

  @ApiProperty({ description: 'True when some children did not answer in time.' })
  partial!: boolean;

  @ApiProperty({ type: 'string', nullable: true })
  detail!: string | null;
}

export class CountersView {
  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({ type: 'integer' })
  approved!: number;

  @ApiProperty({ type: 'integer' })
  declined!: number;

  @ApiProperty({ type: 'integer' })
  failed!: number;

  @ApiProperty({ type: 'integer' })
  unknown!: number;

  @ApiProperty({ type: 'integer', description: 'Attempts that asked for the shopper (3-D Secure).' })
  requires_action!: number;
}

export class RecentActivityView {
  @ApiProperty({ type: 'integer', example: 300 })
  window_seconds!: number;

  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({ type: 'integer' })
  approved!: number;

  @ApiProperty({ type: 'number', nullable: true, minimum: 0, maximum: 1, description: 'null without attempts.' })
  approval_rate!: number | null;
}

export class BoundaryView {
  @ApiProperty({ example: 'tcp' })
  transport!: string;

  @ApiProperty({ example: '127.0.0.1:4100' })
  target!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  described_at!: string | null;
}

export class BreakerView {
  @ApiProperty({ enum: ['closed', 'open', 'half_open'], description: 'open: the node is left out of candidate lists.' })
  state!: string;

  @ApiProperty({ type: 'integer' })
  consecutive_failures!: number;

  @ApiProperty({ type: 'integer', description: 'Failures in a row that open the breaker.' })
  failure_threshold!: number;

  @ApiProperty({ type: 'integer' })
  half_open_after_ms!: number;

  @ApiProperty({ type: 'integer', description: 'Calls whose outcome showed a healthy node.' })
  successes!: number;

  @ApiProperty({ type: 'integer', description: 'Calls whose outcome showed an unhealthy node.' })
  failures!: number;

  @ApiProperty({ type: 'integer', description: 'Calls not let through while open.' })
  rejected!: number;

  @ApiProperty({ type: 'integer', description: 'How many times it opened.' })
  opened!: number;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  opened_at!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'provider_unavailable' })
  last_failure!: string | null;
}

export class TreeNodeResponse {
  @ApiProperty({ example: 'sim-alpha' })
  id!: string;

  @ApiProperty({ example: 'root/eu/sim-alpha' })
  path!: string;

  @ApiProperty({ enum: ['router', 'adapter', 'remote'] })
  kind!: string;

  @ApiProperty({ description: 'The adapter type, `router` or `remote`.' })
  type!: string;

  @ApiProperty({ type: 'string', nullable: true, example: 'weighted' })
  strategy!: string | null;

  @ApiProperty({ type: () => CapabilitiesView })
  capabilities!: CapabilitiesView;

  @ApiProperty({ type: () => HealthView, nullable: true })
  health!: HealthView | null;

  @ApiProperty({
    type: () => BreakerView,
    nullable: true,
    description: "The circuit breaker the node's router keeps for it; null at the root and where the parent is remote.",
  })
  breaker!: BreakerView | null;

  @ApiPropertyOptional({
    type: () => FaultView,
    nullable: true,
    description: 'Present only on nodes that accept injected faults (sandbox leaves); null: none injected.',
  })
  fault?: FaultView | null;

  @ApiProperty({ type: () => CountersView, description: 'Attempts through this node since start-up (this process).' })
  counters!: CountersView;

  @ApiProperty({ type: () => RecentActivityView, description: 'Attempts through this node lately (this process).' })
  recent!: RecentActivityView;

  @ApiProperty({ type: () => BoundaryView, nullable: true, description: 'Set where the children run in another process.' })
  boundary!: BoundaryView | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'The remote node whose process serves this node; null: this process.' })
  hosted_by!: string | null;

  @ApiProperty({ type: () => [TreeNodeResponse] })
  children!: TreeNodeResponse[];
}

export class OpsPaymentResponse extends PaymentResponse {
  @ApiProperty({ example: 'mer_…' })
  merchant_id!: string;
}

export class OpsPaymentListResponse {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: () => [OpsPaymentResponse], description: 'Newest first.' })
  data!: OpsPaymentResponse[];

  @ApiProperty()
  has_more!: boolean;
}
