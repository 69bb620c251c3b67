import { trace } from '@opentelemetry/api';
import { InMemoryTracing } from './in-memory';
import { redactQuery } from './redaction';

describe('redactQuery', () => {
  it.each([
    [
      'https://kannel:13013/cgi-bin/sendsms?username=gw&password=s3cret&to=%2B1555',
      'https://kannel:13013/cgi-bin/sendsms?username=REDACTED&password=REDACTED&to=REDACTED',
    ],
    ['/webhooks/jasmin/dlr?msg=msg_1&conn=c&token=abc', '/webhooks/jasmin/dlr?msg=REDACTED&conn=REDACTED&token=REDACTED'],
    ['/ari/events?api_key=gateway:pw&app=gw', '/ari/events?api_key=REDACTED&app=REDACTED'],
    ['https://shop.example/sms', 'https://shop.example/sms'],
    ['/v1/messages', '/v1/messages'],
  ])('%s', (url, expected) => {
    expect(redactQuery(url)).toBe(expected);
  });

  it('redacts a bare query, with or without its question mark', () => {
    expect(redactQuery('token=abc&msg=1', true)).toBe('token=REDACTED&msg=REDACTED');
    expect(redactQuery('?token=abc', true)).toBe('?token=REDACTED');
  });
});

describe('exported spans carry no query parameter value', () => {
  const tracing = new InMemoryTracing();
  beforeAll(() => tracing.start());
  afterAll(() => tracing.stop());

  it('redacts every URL attribute as the span ends, whoever set it, and leaves the others alone', async () => {
    const span = trace.getTracer('spec').startSpan('POST /webhooks/:kind/dlr');
    span.setAttributes({
      'url.full': 'http://127.0.0.1:58081/webhooks/jasmin/dlr?token=abc',
      'url.path': '/webhooks/jasmin/dlr?token=abc',
      'url.query': 'token=abc',
      'http.target': '/webhooks/jasmin/dlr?token=abc',
      'http.route': '/webhooks/:kind/dlr',
    });
    span.end();
    expect((await tracing.spans())[0].attributes).toEqual({
      'url.full': 'http://127.0.0.1:58081/webhooks/jasmin/dlr?token=REDACTED',
      'url.path': '/webhooks/jasmin/dlr?token=REDACTED',
      'url.query': 'token=REDACTED',
      'http.target': '/webhooks/jasmin/dlr?token=REDACTED',
      'http.route': '/webhooks/:kind/dlr',
    });
  });
});
