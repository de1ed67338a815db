import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { NotificationRefusal } from '#gateway-spi';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../docs/api-docs.decorators.js';
import { ApiError } from '../errors/api-error.js';
import { requestTraceOf } from '../logging/request-trace.js';
import { ReceiveNotification } from './receive-notification.js';

const REFUSED: Readonly<Record<NotificationRefusal | 'deferred', (nodeId: string, message: string) => ApiError>> = {
  bad_signature: (_, message) => new ApiError(400, 'invalid_request_error', 'invalid_signature', `The notification's signature does not verify: ${message}`),
  malformed: (_, message) => new ApiError(400, 'invalid_request_error', 'notification_malformed', message),
  unknown_node: (nodeId) => new ApiError(404, 'not_found', 'resource_missing', `No such node: '${nodeId}'`, 'node_id'),
  not_supported: (nodeId) => new ApiError(404, 'not_found', 'notifications_not_supported', `Node '${nodeId}' takes no provider notifications.`, 'node_id'),
  // The provider retries a notification that got no 2xx.
  unreachable: (nodeId, message) => new ApiError(503, 'api_error', 'node_unreachable', `Node '${nodeId}' cannot be reached now (${message}); retry later.`),
  deferred: (_, message) => new ApiError(503, 'api_error', 'notification_deferred', `Not applied yet: ${message}; send it again later.`),
};

/** Provider notifications in: no merchant key, the provider's signature is the authentication. */
@ApiTags('notifications')
@Controller()
export class NotificationsController {
  constructor(private readonly receive: ReceiveNotification) {}

  @ApiOperation({
    summary: 'A provider notification for a node of the tree',
    description:
      'The raw body and headers go to the node `node_id` (wherever it is in the tree), which verifies the provider\'s signature ' +
      'and normalizes the facts; each is applied once (deduplicated by the provider\'s event id) before the answer the provider ' +
      'expects is sent. Bad signature: 400, nothing stored.',
  })
  @ApiParam({ name: 'node_id', description: 'The id of the leaf in the tree config.' })
  @ApiResponse({ status: 200, description: "The provider's expected answer (e.g. `[accepted]`)." })
  @ApiErrors(400, 404)
  @Post('v1/providers/:node_id/notifications')
  async notify(
    @Param('node_id') nodeId: string,
    @Body() _parsed: unknown,
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = request.rawBody ? request.rawBody.toString('utf8') : '';
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value ?? '')]));
    const received = await this.receive.execute({ nodeId, body, headers }, requestTraceOf(request));
    if (!received.ok) throw REFUSED[received.reason](nodeId, received.message);
    await reply.status(received.reply.status).type(received.reply.contentType).send(received.reply.body);
  }
}
