import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedMerchant, CurrentMerchant, MerchantAuthGuard } from '../../auth/index.js';
import { newId } from '../../common/ids.js';
import { Refusal } from '../../common/refusal.js';
import { ApiErrors, ApiMerchantAuth } from '../../docs/api-docs.decorators.js';
import { CustomersRepository } from '../persistence/customers.repository.js';
import { PaymentMethodsRepository } from '../persistence/payment-methods.repository.js';
import { CreateCustomerDto } from './dto/payment-methods.dto.js';
import { CustomerResponse, PaymentMethodListResponse } from './dto/payment-methods.responses.js';
import { presentCustomer, presentPaymentMethod } from './payment-methods.presenter.js';

const CUSTOMER_ID = ApiParam({ name: 'id', description: 'A customer id (`cus_…`).' });

@ApiTags('customers')
@ApiMerchantAuth()
@Controller('v1/customers')
@UseGuards(MerchantAuthGuard)
export class CustomersController {
  constructor(
    private readonly customers: CustomersRepository,
    private readonly methods: PaymentMethodsRepository,
  ) {}

  @ApiOperation({ summary: 'Create a customer', description: 'Payment methods are saved to customers.' })
  @ApiCreatedResponse({ type: CustomerResponse })
  @ApiErrors(400)
  @Post()
  async create(@CurrentMerchant() merchant: AuthenticatedMerchant, @Body() dto: CreateCustomerDto) {
    const customer = await this.customers.create({ id: newId('cus'), merchantId: merchant.id, name: dto.name ?? null, email: dto.email ?? null });
    return presentCustomer(customer);
  }

  @ApiOperation({ summary: 'Get a customer' })
  @CUSTOMER_ID
  @ApiOkResponse({ type: CustomerResponse })
  @ApiErrors(404)
  @Get(':id')
  async get(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string) {
    const customer = await this.customers.findOwned(merchant.id, id);
    if (!customer) throw Refusal.notFound('customer', id);
    return presentCustomer(customer);
  }

  @ApiOperation({ summary: "List a customer's payment methods", description: 'Those attached (not detached), newest first.' })
  @CUSTOMER_ID
  @ApiOkResponse({ type: PaymentMethodListResponse })
  @ApiErrors(404)
  @Get(':id/payment_methods')
  async paymentMethods(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string) {
    if (!(await this.customers.findOwned(merchant.id, id))) throw Refusal.notFound('customer', id);
    const methods = await this.methods.listAttached(merchant.id, id);
    return { object: 'list', data: methods.map(presentPaymentMethod), has_more: false };
  }
}
