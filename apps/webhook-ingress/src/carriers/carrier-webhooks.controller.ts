import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { CallbackFields } from '@gw/connectors';
import { CarrierCallback, CarrierCallbacksService } from './carrier-callbacks.service';

/** The callback as the service takes it: the kind from the path, fields from query and body. */
function callback(kind: string, query: CallbackFields, body: CallbackFields | undefined, req: FastifyRequest): CarrierCallback {
  return { kind, method: req.method, query, body, correlationId: req.id };
}

/**
 * DLR and MO callbacks of every HTTP carrier kind (`/webhooks/{kind}/dlr`, `/webhooks/{kind}/mo`),
 * by GET (Kannel's smsbox) or POST (Jasmin) as the kind's webhook says. Authentication (allowlist +
 * token) already ran in carrierAuthHook on the raw request; the body is parsed only afterwards.
 * The answer is the carrier's own acknowledgement (Jasmin: `ACK/Jasmin`).
 */
@ApiExcludeController()
@Controller('webhooks/:kind')
export class CarrierWebhooksController {
  constructor(private readonly callbacks: CarrierCallbacksService) {}

  @Post('dlr')
  @HttpCode(200)
  @Header('content-type', 'text/plain')
  postDlr(
    @Param('kind') kind: string,
    @Query() query: CallbackFields,
    @Body() body: CallbackFields | undefined,
    @Req() req: FastifyRequest,
  ) {
    return this.callbacks.onDlr(callback(kind, query, body, req));
  }

  @Get('dlr')
  @HttpCode(200)
  @Header('content-type', 'text/plain')
  getDlr(@Param('kind') kind: string, @Query() query: CallbackFields, @Req() req: FastifyRequest) {
    return this.callbacks.onDlr(callback(kind, query, undefined, req));
  }

  @Post('mo')
  @HttpCode(200)
  @Header('content-type', 'text/plain')
  postMo(
    @Param('kind') kind: string,
    @Query() query: CallbackFields,
    @Body() body: CallbackFields | undefined,
    @Req() req: FastifyRequest,
  ) {
    return this.callbacks.onMo(callback(kind, query, body, req));
  }

  @Get('mo')
  @HttpCode(200)
  @Header('content-type', 'text/plain')
  getMo(@Param('kind') kind: string, @Query() query: CallbackFields, @Req() req: FastifyRequest) {
    return this.callbacks.onMo(callback(kind, query, undefined, req));
  }
}
