import type { NextFunction, Request, Response } from 'express';
import { DomainError, ErrorCode } from './domain-error';

type BodyParserError = Error & { type?: string };

/**
 * Express error middleware placed right after a body parser: turns its failures into DomainErrors
 * (malformed JSON -> 400 `malformed_json` naming `body`, too large -> 413) so the error filter
 * answers them in the API's error shape instead of a bare 400 with the parser's message.
 */
export function bodyParserErrors() {
  return (err: BodyParserError, _req: Request, _res: Response, next: NextFunction): void => {
    if (err?.type === 'entity.parse.failed') {
      next(new DomainError(ErrorCode.MalformedJson, 'request body is not valid JSON', [{ field: 'body', message: 'malformed JSON' }]));
    } else if (err?.type === 'entity.too.large') {
      next(new DomainError(ErrorCode.PayloadTooLarge, 'request body too large', [{ field: 'body', message: 'too large' }]));
    } else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') {
      next(new DomainError(ErrorCode.UnsupportedMediaType, 'unsupported request body encoding'));
    } else {
      next(err);
    }
  };
}
