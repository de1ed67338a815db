import { Module } from '@nestjs/common';
import { CardFormController } from './card-form.controller.js';

/** Pages a merchant's site embeds to collect card data without touching it: the hosted card form. */
@Module({
  controllers: [CardFormController],
})
export class ElementsModule {}
