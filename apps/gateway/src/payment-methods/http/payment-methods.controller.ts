import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedMerchant, CurrentMerchant, MerchantAuthGuard } from '../../auth/index.js';
import { Refusal } from '../../common/refusal.js';
import { ApiErrors, ApiMerchantAuth } from '../../docs/api-docs.decorators.js';
import { PaymentMethodsRepository } from '../persistence/payment-methods.repository.js';
import { DetachPaymentMethod } from '../detach-payment-method.js';
import { SavePaymentMethod } from '../save-payment-method.js';
import { CreatePaymentMethodDto } from './dto/payment-methods.dto.js';
import { PaymentMethodResponse } from './dto/payment-methods.responses.js';
import { presentPaymentMethod } from './payment-methods.presenter.js';

const METHOD_ID = ApiParam({ name: 'id', description: 'A payment method id (`pm_…`).' });

@ApiTags('payment methods')
@ApiMerchantAuth()
@Controller('v1/payment_methods')
@UseGuards(MerchantAuthGuard)
export class PaymentMethodsController {
  constructor(
    private readonly methods: PaymentMethodsRepository,
    private readonly save: SavePaymentMethod,
    private readonly detachMethod: DetachPaymentMethod,
  ) {}

  @ApiOperation({ summary: 'Save a card', description: 'From a token (used up), attached to `customer` if given.' })
  @ApiCreatedResponse({ type: PaymentMethodResponse })
  @ApiErrors(400, 404)
  @Post()
  async create(@CurrentMerchant() merchant: AuthenticatedMerchant, @Body() dto: CreatePaymentMethodDto) {
    const method = await this.save.fromToken(merchant.id, dto.token, dto.customer ?? null);
    if (method instanceof Refusal) throw method;
    return presentPaymentMethod(method);
  }

  @ApiOperation({ summary: 'Get a payment method', description: 'Display data only: brand, last 4, expiry, fingerprint.' })
  @METHOD_ID
  @ApiOkResponse({ type: PaymentMethodResponse })
  @ApiErrors(404)
  @Get(':id')
  async get(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string) {
    const method = await this.methods.findOwned(merchant.id, id);
    if (!method) throw Refusal.notFound('payment method', id);
    return presentPaymentMethod(method);
  }

  @ApiOperation({ summary: 'Detach a payment method', description: 'From its customer, for good: its card is deleted from the vault and it can no longer be charged. Repeating it is harmless.' })
  @METHOD_ID
  @ApiOkResponse({ type: PaymentMethodResponse })
  @ApiErrors(404)
  @Post(':id/detach')
  @HttpCode(200)
  async detach(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string) {
    const method = await this.detachMethod.execute(merchant.id, id);
    if (!method) throw Refusal.notFound('payment method', id);
    return presentPaymentMethod(method);
  }
}
