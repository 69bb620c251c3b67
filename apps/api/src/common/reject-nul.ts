import type { FastifyInstance } from 'fastify';
import { DomainError } from '@gw/errors';

/**
 * Where the first string containing U+0000 sits in a parsed JSON value (object keys included), as
 * a dotted path such as `document.steps.0.text` (`prefix` when `value` itself is that string);
 * undefined when there is none. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function nulPath(value: unknown, prefix = ''): string | undefined {
  const stack: Array<[unknown, string]> = [[value, prefix]];
  const join = (base: string, key: string): string => (base ? `${base}.${key}` : key);
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], join(path, String(i))]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        if (key.includes('\u0000')) return join(path, key);
        stack.push([child, join(path, key)]);
      }
    }
  }
  return undefined;
}

/**
 * Answers 400 `validation_failed` naming the field when a path parameter, query parameter or body
 * string contains U+0000: PostgreSQL `text` and `jsonb` cannot hold that character, so such input
 * could only fail later as a 500.
 */
export function rejectNul(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (req, _reply, done) => {
    const field = nulPath(req.params) ?? nulPath(req.query) ?? nulPath(req.body);
    done(field === undefined ? undefined : DomainError.invalid(field || 'body', 'must not contain the NUL character (U+0000)'));
  });
}
