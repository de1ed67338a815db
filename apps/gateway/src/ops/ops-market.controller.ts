import { Body, Controller, Delete, Get, Inject, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { marketToWire, parseMarket, resolveMarket, type MarketChange } from '#gateway-spi';
import { changeMarket, marketOf, type Tree } from '#orchestration';
import { AdminAuthGuard } from '../auth/index.js';
import { Refusal } from '../common/refusal.js';
import { TREE } from '../common/tokens.js';
import { ApiAdminAuth, ApiErrors } from '../docs/api-docs.decorators.js';
import { ApiError } from '../errors/api-error.js';
import { SetMarketBody } from './dto/market.dto.js';
import { MarketResponse } from './dto/market.responses.js';

const NODE_ID = ApiParam({ name: 'id', description: 'A node id of the tree config.', example: 'sim-alpha' });

/**
 * The market of a sandbox leaf: how its issuers answer the cards no test script decides (approval
 * rates by brand, country and amount band, soft/hard decline mix, latency), changed at run time.
 */
@ApiTags('ops')
@ApiAdminAuth()
@Controller('v1/ops/nodes/:id/market')
@UseGuards(AdminAuthGuard)
export class OpsMarketController {
  constructor(@Inject(TREE) private readonly tree: Tree) {}

  @ApiOperation({ summary: "A sandbox leaf's market", description: 'Every field at its effective value; null: none.' })
  @NODE_ID
  @ApiOkResponse({ type: MarketResponse })
  @ApiErrors(400, 404)
  @Get()
  getMarket(@Param('id') id: string) {
    return presentMarket(id, marketOf(this.tree, id));
  }

  @ApiOperation({ summary: "Set a sandbox leaf's market", description: 'Replaces the whole market; absent fields take their defaults.' })
  @ApiBody({ type: SetMarketBody })
  @NODE_ID
  @ApiOkResponse({ type: MarketResponse })
  @ApiErrors(400, 404, 502)
  @Put()
  async setMarket(@Param('id') id: string, @Body() body: unknown) {
    // The pipe leaves an `unknown` body alone: the tree config's own reader checks it and names the bad field.
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw ApiError.invalid('invalid_market', 'The body must be a market object.');
    }
    const { market, problems } = parseMarket(body);
    if (!market) throw ApiError.invalid('invalid_market', problems.map((problem) => problem.message).join('; '), problems[0]?.param || undefined);
    return presentMarket(id, await changeMarket(this.tree, id, market));
  }

  @ApiOperation({ summary: "Reset a sandbox leaf's market", description: "Back to its tree config's market, or none." })
  @NODE_ID
  @ApiOkResponse({ type: MarketResponse })
  @ApiErrors(400, 404, 502)
  @Delete()
  async resetMarket(@Param('id') id: string) {
    return presentMarket(id, await changeMarket(this.tree, id, null));
  }
}

function presentMarket(id: string, change: MarketChange) {
  if (!change.ok) {
    switch (change.reason) {
      case 'not_found':
        throw Refusal.notFound('node', id);
      case 'not_supported':
        throw ApiError.invalid('market_not_supported', change.message, 'id');
      case 'invalid':
        throw ApiError.invalid('invalid_market', change.message);
      case 'unreachable':
        throw new ApiError(502, 'api_error', 'provider_unavailable', `Node '${id}' lives in a remote subtree that did not answer: ${change.message}`);
    }
  }
  return { node_id: id, market: change.market && marketToWire(resolveMarket(change.market)) };
}
