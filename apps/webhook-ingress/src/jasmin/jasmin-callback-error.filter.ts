import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { JasminCallbackError } from '@gw/connectors';

/** A verified but malformed Jasmin callback: 400 with the reason (Jasmin logs it and retries a few times). */
@Catch(JasminCallbackError)
export class JasminCallbackErrorFilter implements ExceptionFilter {
  catch(err: JasminCallbackError, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(400).type('text/plain').send(`Bad callback: ${err.message}`);
  }
}
