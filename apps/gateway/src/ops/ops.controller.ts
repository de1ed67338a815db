import { Body, Controller, Delete, Get, Inject, Param, Post, Put, UseGuards } from '@nestjs/common';
import type { FaultControl } from '#gateway-spi';
import type { Tree } from '#orchestration';
import { AdminAuthGuard } from '../auth/admin-auth.guard.js';
import { TREE } from '../common/tokens.js';
import { ApiError } from '../errors/api-error.js';
import { NodeStatsService } from '../tree/node-stats.service.js';
import { requestContext } from '../tree/node-context.js';
import { CreateMerchantDto } from './dto/create-merchant.dto.js';
import { SetFaultDto } from './dto/set-fault.dto.js';
import { MerchantsService } from './merchants.service.js';
import { presentTree } from './tree-view.js';

const HEALTH_DEADLINE_MS = 2_000;

@Controller('v1/ops')
@UseGuards(AdminAuthGuard)
export class OpsController {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    private readonly merchants: MerchantsService,
    private readonly stats: NodeStatsService,
  ) {}

  @Post('merchants')
  async createMerchant(@Body() dto: CreateMerchantDto) {
    const merchant = await this.merchants.create(dto.name);
    return { id: merchant.id, object: 'merchant', name: merchant.name, api_key: merchant.apiKey };
  }

  @Get('tree')
  async getTree() {
    const health = await this.tree.root.health(requestContext('ops-tree', HEALTH_DEADLINE_MS));
    return presentTree(this.tree.root.describe(), {
      health,
      nodeById: (id) => this.tree.nodes.get(id),
      countersOf: (id) => this.stats.countersOf(id),
    });
  }

  @Put('nodes/:id/faults')
  setFault(@Param('id') id: string, @Body() dto: SetFaultDto) {
    const faults = this.faultControlOf(id);
    faults.setFault({ mode: dto.mode, latencyMs: dto.latency_ms, rate: dto.rate });
    return this.presentFault(id, faults);
  }

  @Delete('nodes/:id/faults')
  clearFault(@Param('id') id: string) {
    const faults = this.faultControlOf(id);
    faults.clearFault();
    return this.presentFault(id, faults);
  }

  private faultControlOf(id: string): FaultControl {
    const node = this.tree.nodes.get(id);
    if (!node) throw ApiError.notFound('node', id);
    if (!node.faults) {
      throw ApiError.invalid('faults_not_supported', `Node '${id}' does not accept injected faults (only sandbox leaves do).`, 'id');
    }
    return node.faults;
  }

  private presentFault(id: string, faults: FaultControl) {
    const fault = faults.currentFault();
    return {
      node_id: id,
      fault: fault && { mode: fault.mode, latency_ms: fault.latencyMs ?? null, rate: fault.rate ?? 1 },
    };
  }
}
