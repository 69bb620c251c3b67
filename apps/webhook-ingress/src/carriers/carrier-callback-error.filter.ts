import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CarrierCallbackError } from '@gw/connectors';

/** A verified but malformed carrier callback: 400 with the reason (the carrier logs it and retries a few times). */
@Catch(CarrierCallbackError)
export class CarrierCallbackErrorFilter implements ExceptionFilter {
  catch(err: CarrierCallbackError, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().code(400).type('text/plain').send(`Bad callback: ${err.message}`);
  }
}
