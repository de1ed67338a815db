import { Body, Controller, Delete, Get, Inject, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FaultChange, FaultSpec } from '#gateway-spi';
import { changeFault, faultOf, type Tree } from '#orchestration';
import { AdminAuthGuard, MerchantsRepository } from '../auth/index.js';
import { requestContext } from '../common/node-context.js';
import { Refusal } from '../common/refusal.js';
import { TREE } from '../common/tokens.js';
import { ApiAdminAuth, ApiErrors } from '../docs/api-docs.decorators.js';
import { ApiError } from '../errors/api-error.js';
import { NodeStatsService } from '../metrics/index.js';
import { CreateMerchant } from './create-merchant.js';
import { CreateMerchantDto, UpdateMerchantDto } from './dto/create-merchant.dto.js';
import { FaultResponse, MerchantCreatedResponse, MerchantResponse, TreeNodeResponse } from './dto/ops.responses.js';
import { SetFaultDto } from './dto/set-fault.dto.js';
import { presentTree } from './tree-view.js';

const HEALTH_DEADLINE_MS = 2_000;

const NODE_ID = ApiParam({ name: 'id', description: 'A node id of the tree config.', example: 'sim-alpha' });

@ApiTags('ops')
@ApiAdminAuth()
@Controller('v1/ops')
@UseGuards(AdminAuthGuard)
export class OpsController {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    private readonly merchantCreation: CreateMerchant,
    private readonly stats: NodeStatsService,
    private readonly merchants: MerchantsRepository,
  ) {}

  @ApiOperation({ summary: 'Create a merchant', description: 'Its secret and publishable keys are in this answer only.' })
  @ApiCreatedResponse({ type: MerchantCreatedResponse })
  @ApiErrors(400)
  @Post('merchants')
  async createMerchant(@Body() dto: CreateMerchantDto) {
    // Origins are compared as browsers send them: lower-case scheme and host, no default port.
    const allowedOrigins = [...new Set((dto.allowed_origins ?? []).map((origin) => new URL(origin).origin))];
    const merchant = await this.merchantCreation.execute({ name: dto.name, allowedOrigins, cascadeOptIn: dto.cascade_opt_in ?? false });
    return {
      id: merchant.id,
      object: 'merchant',
      name: merchant.name,
      allowed_origins: merchant.allowedOrigins,
      cascade_opt_in: merchant.cascadeOptIn,
      api_key: merchant.apiKey,
      publishable_key: merchant.publishableKey,
    };
  }

  @ApiOperation({ summary: "Change a merchant's settings", description: 'Whether routers may retry its opt_in declines (do_not_honor) on another provider.' })
  @ApiParam({ name: 'id', description: 'A merchant id.', example: 'mer_…' })
  @ApiOkResponse({ type: MerchantResponse })
  @ApiErrors(400, 404)
  @Patch('merchants/:id')
  async updateMerchant(@Param('id') id: string, @Body() dto: UpdateMerchantDto) {
    const merchant = await this.merchants.updateCascadeOptIn(id, dto.cascade_opt_in);
    if (!merchant) throw Refusal.notFound('merchant', id);
    return { id: merchant.id, object: 'merchant', name: merchant.name, allowed_origins: merchant.allowedOrigins, cascade_opt_in: merchant.cascadeOptIn };
  }

  @ApiOperation({ summary: 'The tree', description: 'Every node with health, breaker, fault, counters and children.' })
  @ApiOkResponse({ type: TreeNodeResponse })
  @Get('tree')
  async getTree() {
    const health = await this.tree.root.health(requestContext('ops-tree', HEALTH_DEADLINE_MS));
    return presentTree(this.tree.root.describe(), {
      health,
      nodeById: (id) => this.tree.nodes.get(id),
      faultOf: (id) => faultOf(this.tree, id),
      countersOf: (id) => this.stats.countersOf(id),
      recentOf: (id) => this.stats.recentOf(id),
    });
  }

  /** Reaches leaves of this process and, through the remote node that holds them, leaves of remote subtrees. */
  @ApiOperation({ summary: 'Inject a fault into a sandbox leaf' })
  @NODE_ID
  @ApiOkResponse({ type: FaultResponse })
  @ApiErrors(400, 404, 502)
  @Put('nodes/:id/faults')
  async setFault(@Param('id') id: string, @Body() dto: SetFaultDto) {
    const fault: FaultSpec = { mode: dto.mode, ...(dto.latency_ms !== undefined && { latencyMs: dto.latency_ms }), ...(dto.rate !== undefined && { rate: dto.rate }) };
    return this.presentFault(id, await changeFault(this.tree, id, fault));
  }

  @ApiOperation({ summary: 'Clear the fault of a sandbox leaf' })
  @NODE_ID
  @ApiOkResponse({ type: FaultResponse })
  @ApiErrors(400, 404, 502)
  @Delete('nodes/:id/faults')
  async clearFault(@Param('id') id: string) {
    return this.presentFault(id, await changeFault(this.tree, id, null));
  }

  private presentFault(id: string, change: FaultChange) {
    if (!change.ok) {
      switch (change.reason) {
        case 'not_found':
          throw Refusal.notFound('node', id);
        case 'not_supported':
          throw ApiError.invalid('faults_not_supported', `Node '${id}' does not accept injected faults (only sandbox leaves do).`, 'id');
        case 'invalid':
          throw ApiError.invalid('invalid_fault', change.message, 'mode');
        case 'unreachable':
          throw new ApiError(502, 'api_error', 'provider_unavailable', `Node '${id}' lives in a remote subtree that did not answer: ${change.message}`);
      }
    }
    const { fault } = change;
    return {
      node_id: id,
      fault: fault && { mode: fault.mode, latency_ms: fault.latencyMs ?? null, rate: fault.rate ?? 1 },
    };
  }
}
