import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConnectorSettingsError, type SecretResolver } from './carrier';

/**
 * Parses a connector's `settings` JSON with a kind's zod schema.
 * @throws ConnectorSettingsError naming the first bad field as `settings.<path>`.
 */
export function parseSettingsWith<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = ['settings', ...(issue?.path ?? []).map(String)].join('.');
  throw new ConnectorSettingsError(path, issue?.message ?? 'invalid');
}

/** A secret reference: `env:NAME` or `file:/absolute/path`. Settings hold these, never the secret. */
export const secretRef = z
  .string()
  .regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:\/\S+)$/, 'must be a secret reference, env:NAME or file:/path');

/**
 * Resolves `env:NAME` from `env` and `file:/path` from the file system (trailing newline trimmed).
 * @throws Error naming the reference, never the value, when it is unset, empty or unreadable.
 */
export function resolveSecret(ref: string, env: NodeJS.ProcessEnv = process.env): string {
  if (ref.startsWith('env:')) {
    const value = env[ref.slice(4)];
    if (!value) throw new Error(`secret ${ref} is not set`);
    return value;
  }
  if (ref.startsWith('file:')) {
    let value: string;
    try {
      value = readFileSync(ref.slice(5), 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new Error(`secret ${ref} cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
    }
    if (!value) throw new Error(`secret ${ref} is empty`);
    return value;
  }
  throw new Error(`secret reference ${ref} is neither env:NAME nor file:/path`);
}

/** A SecretResolver over `env` and the file system. */
export function secretResolver(env: NodeJS.ProcessEnv = process.env): SecretResolver {
  return (ref) => resolveSecret(ref, env);
}
