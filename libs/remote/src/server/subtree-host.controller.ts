import { Controller, Inject, type Type } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { patternOf } from '../wire/protocol.js';
import { RemoteNodeHandler } from './subtree-host.handler.js';

export const REMOTE_NODE_HANDLER = Symbol('REMOTE_NODE_HANDLER');

/**
 * A Nest controller answering the wire operations under `prefix` (the NATS subject, or `canopy`
 * on TCP) by delegating to the handler. Built per prefix because patterns are decorator metadata.
 */
export function remoteNodeController(prefix: string): Type<unknown> {
  @Controller()
  class RemoteNodeController {
    constructor(@Inject(REMOTE_NODE_HANDLER) private readonly handler: RemoteNodeHandler) {}

    @MessagePattern(patternOf(prefix, 'authorize'))
    authorize(@Payload() message: unknown) {
      return this.handler.authorize(message);
    }

    @MessagePattern(patternOf(prefix, 'capture'))
    capture(@Payload() message: unknown) {
      return this.handler.capture(message);
    }

    @MessagePattern(patternOf(prefix, 'void'))
    void(@Payload() message: unknown) {
      return this.handler.void(message);
    }

    @MessagePattern(patternOf(prefix, 'refund'))
    refund(@Payload() message: unknown) {
      return this.handler.refund(message);
    }

    @MessagePattern(patternOf(prefix, 'status'))
    status(@Payload() message: unknown) {
      return this.handler.status(message);
    }

    @MessagePattern(patternOf(prefix, 'complete-action'))
    completeAction(@Payload() message: unknown) {
      return this.handler.completeAction(message);
    }

    @MessagePattern(patternOf(prefix, 'notification'))
    notification(@Payload() message: unknown) {
      return this.handler.notification(message);
    }

    @MessagePattern(patternOf(prefix, 'quote'))
    quote(@Payload() message: unknown) {
      return this.handler.quote(message);
    }

    @MessagePattern(patternOf(prefix, 'health'))
    health(@Payload() message: unknown) {
      return this.handler.health(message);
    }

    @MessagePattern(patternOf(prefix, 'describe'))
    describe(@Payload() message: unknown) {
      return this.handler.describe(message);
    }

    @MessagePattern(patternOf(prefix, 'set-fault'))
    setFault(@Payload() message: unknown) {
      return this.handler.setFault(message);
    }

    @MessagePattern(patternOf(prefix, 'clear-fault'))
    clearFault(@Payload() message: unknown) {
      return this.handler.clearFault(message);
    }

    @MessagePattern(patternOf(prefix, 'set-market'))
    setMarket(@Payload() message: unknown) {
      return this.handler.setMarket(message);
    }

    @MessagePattern(patternOf(prefix, 'reset-market'))
    resetMarket(@Payload() message: unknown) {
      return this.handler.resetMarket(message);
    }
  }
  return RemoteNodeController;
}
