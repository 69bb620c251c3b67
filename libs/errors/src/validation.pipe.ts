import { ValidationError, ValidationPipe } from '@nestjs/common';
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
 * class-validator pipe for request DTOs: unknown fields are rejected (`forbidNonWhitelisted`),
 * no implicit type coercion of bodies (a number where a string is due is an error), and failures
 * become a `validation_failed` DomainError listing every offending field by name.
 */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
