import { Inject, Injectable } from '@nestjs/common';
import { type Customer, PRISMA, type PrismaClient } from '#persistence';

/** The merchants' customers. Another merchant's customer is a missing one. */
@Injectable()
export class CustomersRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  create(customer: Pick<Customer, 'id' | 'merchantId' | 'name' | 'email'>): Promise<Customer> {
    return this.prisma.customer.create({ data: customer });
  }

  findOwned(merchantId: string, id: string): Promise<Customer | null> {
    return this.prisma.customer.findFirst({ where: { id, merchantId } });
  }
}
