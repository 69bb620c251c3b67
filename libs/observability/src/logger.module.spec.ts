import { redactUrl } from './logger.module';

describe('redactUrl', () => {
  it('hides DLR tokens and passwords in query strings', () => {
    expect(redactUrl('/webhooks/jasmin/dlr?msg=msg_1&token=abc123')).toBe('/webhooks/jasmin/dlr?msg=msg_1&token=[redacted]');
    expect(redactUrl('/send?username=gw&password=s3cret&to=1')).toBe('/send?username=gw&password=[redacted]&to=1');
  });

  it('leaves other parameters alone', () => {
    expect(redactUrl('/v1/messages?status=sent&limit=5')).toBe('/v1/messages?status=sent&limit=5');
  });
});
