import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { hashSecret, MerchantsRepository } from '../auth/index.js';
import { type CardFormDenial, grantCardForm, isGrant } from './card-form-access.js';
import { fillTemplate, framedOnlyBy } from './card-form-page.js';
import { CardFormQueryDto } from './dto/card-form-query.dto.js';
import { type ElementAsset, loadElementAssets, STATIC_FILES, type TemplateName } from './element-assets.js';

/**
 * The hosted card form (`/elements/card?key=pk_…&origin=https://shop.example`): a page the
 * merchant's page frames, that sends the card from the shopper's browser straight to
 * POST /v1/tokens and hands only the token to the framing page. The page needs no authentication:
 * the publishable key it carries can do nothing but tokenize.
 */
@ApiExcludeController()
@Controller('elements')
export class CardFormController {
  private readonly assets = loadElementAssets();

  constructor(private readonly merchants: MerchantsRepository) {}

  @Get('card')
  async cardForm(@Query() query: CardFormQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const decision = await grantCardForm((key) => this.merchants.findApiKey(hashSecret(key)), query.key, query.origin);
    if (!isGrant(decision)) return this.refuse(reply, decision);
    // Helmet denies framing on every answer; this page may be framed by its merchant's page only.
    const policy = reply.getHeader('content-security-policy');
    void reply.header('content-security-policy', framedOnlyBy(typeof policy === 'string' ? policy : '', decision.parentOrigin));
    reply.removeHeader('x-frame-options');
    this.sendPage(reply, 200, 'card-form.html', { publishable_key: decision.publishableKey, parent_origin: decision.parentOrigin });
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    if (!(STATIC_FILES as readonly string[]).includes(file)) throw new NotFoundException();
    const asset = this.assets.get(file)!;
    void reply.header('content-type', asset.type).header('cache-control', 'no-cache').send(asset.body);
  }

  /** An error page that nothing may frame (the gateway's default policy stays). */
  private refuse(reply: FastifyReply, denial: CardFormDenial): void {
    this.sendPage(reply, denial.status, 'card-form-error.html', { message: denial.message });
  }

  private sendPage(reply: FastifyReply, status: number, name: TemplateName, values: Record<string, string>): void {
    const template: ElementAsset = this.assets.get(name)!;
    void reply.status(status).header('content-type', template.type).send(fillTemplate(template.body.toString('utf8'), values));
  }
}
