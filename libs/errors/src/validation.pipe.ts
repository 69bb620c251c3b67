import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode, FieldError } from './domain-error';

/** class-validator errors as one FieldError per offending field, nested fields dotted (`messages:send.per_key`). */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, message: Object.values(e.constraints).join('; ') }] : [];
    return [...own, ...fieldErrorsOf(e.children ?? [], field)];
  });
}

/**
 * ValidationPipe that refuses a JSON `null` body: Nest reads a nil body as `{}`, which is right for
 * a request without a body (an all-optional DTO) but would accept `null` where an object is due.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value === null)
      throw new DomainError(ErrorCode.ValidationFailed, 'body: must be a JSON object', [
        { field: 'body', message: 'must be a JSON object' },
      ]);
    return super.transform(value, metadata);
  }
}

/**
 * class-validator pipe for request DTOs: unknown fields are rejected (`forbidNonWhitelisted`),
 * no implicit type coercion of bodies (a number where a string is due is an error), a `null` body
 * is refused (no body at all stands for `{}`), and failures become a `validation_failed`
 * DomainError listing every offending field by name.
 */
export function strictValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = fieldErrorsOf(errors);
      return new DomainError(ErrorCode.ValidationFailed, fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
    },
  });
}
