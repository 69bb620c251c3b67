export { DomainError, ErrorCode, httpStatusOf } from './domain-error';
export type { FieldError } from './domain-error';
export { HttpErrorFilter } from './http-exception.filter';
export { fieldErrorsOf, strictValidationPipe } from './validation.pipe';
export type { ErrorBody, ErrorRequest } from './http-exception.filter';
