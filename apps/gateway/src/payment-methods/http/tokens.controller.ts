import { Body, Controller, Inject, Options, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthenticatedMerchant, CurrentMerchant, TokenizationAuthGuard } from '../../auth/index.js';
import { Refusal } from '../../common/refusal.js';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import { type GatewayConfig, publicBaseUrl } from '../../config/gateway-config.js';
import { ApiErrors, ApiMerchantAuth } from '../../docs/api-docs.decorators.js';
import { TokenizeCard } from '../tokenize-card.js';
import { CreateTokenDto } from './dto/payment-methods.dto.js';
import { TokenResponse } from './dto/payment-methods.responses.js';
import { presentToken } from './payment-methods.presenter.js';
import { allowOrigin, answerPreflight } from './tokenization-cors.js';

@ApiTags('tokens')
@ApiMerchantAuth()
@Controller('v1/tokens')
export class TokensController {
  private readonly publicOrigin: string;

  constructor(
    private readonly tokenize: TokenizeCard,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.publicOrigin = new URL(publicBaseUrl(config)).origin;
  }

  @ApiExcludeEndpoint()
  @Options()
  preflight(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    answerPreflight(request, reply);
  }

  @ApiOperation({
    summary: 'Tokenize a card',
    description:
      'With the publishable key (pk_…, from a browser: the hosted form or your own page on an allowed origin) or the secret key. ' +
      'Answers a single-use, short-lived token that POST /v1/payments and POST /v1/payment_methods accept.',
  })
  @ApiCreatedResponse({ type: TokenResponse })
  @ApiErrors(400, 503)
  @Post()
  @UseGuards(TokenizationAuthGuard)
  async create(
    @CurrentMerchant() merchant: AuthenticatedMerchant,
    @Body() dto: CreateTokenDto,
    @Req() request: FastifyRequest,
  ) {
    allowOrigin(request, merchant.allowedOrigins, this.publicOrigin);
    const { card } = dto;
    const token = await this.tokenize.execute(merchant.id, { number: card.number, expMonth: card.exp_month, expYear: card.exp_year, cvc: card.cvc });
    if (token instanceof Refusal) throw token;
    return presentToken(token);
  }
}
