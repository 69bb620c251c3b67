import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { JasminCallbackError } from '@gw/connectors';

/** A verified but malformed Jasmin callback: 400 with the reason (Jasmin logs it and retries a few times). */
@Catch(JasminCallbackError)
export class JasminCallbackErrorFilter implements ExceptionFilter {
  catch(err: JasminCallbackError, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().code(400).type('text/plain').send(`Bad callback: ${err.message}`);
  }
}
