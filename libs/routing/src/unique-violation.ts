import { QueryFailedError } from 'typeorm';

/** Whether `err` is PostgreSQL's unique_violation (SQLSTATE 23505) on the index or constraint `name`. */
export function isUniqueViolation(err: unknown, name: string): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === name;
}
