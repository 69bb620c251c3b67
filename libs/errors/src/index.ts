export { DomainError, ErrorCode, httpStatusOf } from './domain-error';
export type { FieldError } from './domain-error';
export { HttpErrorFilter } from './http-exception.filter';
export { strictValidationPipe } from './validation.pipe';
export type { ErrorBody } from './http-exception.filter';
export { bodyParserErrors } from './body-parser-errors';
