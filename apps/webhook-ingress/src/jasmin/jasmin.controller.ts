import { Body, Controller, Header, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { JasminDlrFields } from '@gw/connectors';
import { JasminCallbacksService } from './jasmin-callbacks.service';

/** Jasmin's required acknowledgement body; anything else makes Jasmin retry (Jasmin HTTP API docs, "Receiving DLR", "Receiving SMS-MO"). */
export const JASMIN_ACK = 'ACK/Jasmin';

/**
 * Jasmin DLR and MO callbacks. Authentication (allowlist + token) already ran in jasminAuthHook
 * on the raw request; the body is parsed only afterwards.
 */
@ApiExcludeController()
@Controller('webhooks/jasmin')
export class JasminController {
  constructor(private readonly callbacks: JasminCallbacksService) {}

  @Post('dlr')
  @HttpCode(200)
  @Header('content-type', 'text/plain')
  async dlr(@Query('msg') messageId: string, @Body() fields: JasminDlrFields, @Req() req: FastifyRequest): Promise<string> {
    await this.callbacks.onDlr(messageId, fields ?? {}, req.id);
    return JASMIN_ACK;
  }

  @Post('mo')
  @HttpCode(200)
  @Header('content-type', 'text/plain')
  async mo(@Body() fields: JasminDlrFields, @Req() req: FastifyRequest): Promise<string> {
    await this.callbacks.onMo(fields ?? {}, req.id);
    return JASMIN_ACK;
  }
}
