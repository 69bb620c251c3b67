import { DomainError } from '@gw/errors';
import { literalSecretPath, validateConnectorSettings } from './connector-settings';

/** The fields a DomainError names, or a failure when `fn` does not throw one. */
function fieldsOf(fn: () => void): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.fields.map((f) => f.field);
    throw err;
  }
  throw new Error('expected a DomainError');
}

const JASMIN = { url: 'http://127.0.0.1:1401', username: 'gw', password_ref: 'env:JASMIN_PASSWORD' };

describe('literalSecretPath', () => {
  it('names the first key holding a secret in clear, at any depth, and lets *_ref keys pass', () => {
    expect(literalSecretPath({ url: 'x', password_ref: 'env:P', token_ttl_s: 5 })).toBeUndefined();
    expect(literalSecretPath({ password: 'hunter2' })).toBe('settings.password');
    expect(literalSecretPath({ auth: { api_key: 'k' } })).toBe('settings.auth.api_key');
    expect(literalSecretPath({ binds: [{ system_id: 'a' }, { smpp_password: 'p' }] })).toBe('settings.binds.1.smpp_password');
    for (const key of ['secret', 'token', 'apikey', 'client_secret', 'Password'])
      expect(literalSecretPath({ [key]: 'v' })).toBe(`settings.${key}`);
  });
});

describe('validateConnectorSettings', () => {
  it("accepts a kind's valid settings", () => {
    expect(() => validateConnectorSettings('jasmin', JASMIN)).not.toThrow();
  });

  it('names kind when it is not a registered carrier kind', () => {
    expect(fieldsOf(() => validateConnectorSettings('carrier-pigeon', JASMIN))).toEqual(['kind']);
  });

  it('names a literal secret and says to give a _ref instead', () => {
    try {
      validateConnectorSettings('jasmin', { url: 'http://127.0.0.1:1401', username: 'gw', password: 'hunter2' });
      throw new Error('expected a DomainError');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      const field = (err as DomainError).fields[0];
      expect(field.field).toBe('settings.password');
      expect(field.message).toContain('password_ref');
      expect(JSON.stringify(err)).not.toContain('hunter2');
      expect((err as DomainError).message).not.toContain('hunter2');
    }
  });

  it("names the setting the kind's parser refuses, as settings.<field>", () => {
    expect(fieldsOf(() => validateConnectorSettings('jasmin', { ...JASMIN, timeout_ms: 5 }))).toEqual(['settings.timeout_ms']);
    expect(fieldsOf(() => validateConnectorSettings('jasmin', { ...JASMIN, password_ref: 'hunter2' }))).toEqual(['settings.password_ref']);
    expect(fieldsOf(() => validateConnectorSettings('jasmin', { url: 'http://127.0.0.1:1401', password_ref: 'env:P' }))).toEqual([
      'settings.username',
    ]);
  });
});
