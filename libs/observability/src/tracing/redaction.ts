import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/** What every query parameter value becomes in an exported span. */
export const REDACTED = 'REDACTED';

/**
 * Span attributes that may hold a URL's query string (OpenTelemetry HTTP semantic conventions,
 * stable and older names; `url.path` should not, but a query there is redacted all the same).
 */
const URL_ATTRIBUTES = ['url.full', 'url.query', 'url.path', 'http.url', 'http.target'] as const;

/**
 * `value` with the value of every query parameter replaced by REDACTED, names kept. `value` is a
 * URL, a path with a query, or (`queryOnly`) a bare query string, with or without its `?`.
 * Query strings carry credentials here: DLR and MO tokens, Kannel's sendsms password, ARI's api_key.
 */
export function redactQuery(value: string, queryOnly = false): string {
  const at = value.indexOf('?');
  if (!queryOnly && at < 0) return value;
  const head = queryOnly ? (at === 0 ? '?' : '') : value.slice(0, at + 1);
  const params = new URLSearchParams(queryOnly ? value.replace(/^\?/, '') : value.slice(at + 1));
  const redacted = new URLSearchParams();
  for (const name of new Set(params.keys())) redacted.append(name, REDACTED);
  return head + redacted.toString();
}

/**
 * Span processor that redacts the query of every URL attribute as a span ends, before any exporter
 * sees it, whichever instrumentation set it (http and undici offer no common way).
 * Runs first among the SDK's processors.
 */
export class QueryRedactionProcessor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    for (const key of URL_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value === 'string') span.setAttribute(key, redactQuery(value, key === 'url.query'));
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
