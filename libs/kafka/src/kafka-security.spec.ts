import { kafkaSecurity } from './kafka-security';

describe('kafkaSecurity', () => {
  it('adds nothing for a plain broker', () => {
    expect(kafkaSecurity({ KAFKA_TLS: 'off' })).toEqual({});
  });

  it('turns TLS on, with the CA bundle of a file when one is named', () => {
    expect(kafkaSecurity({ KAFKA_TLS: 'on' })).toEqual({ ssl: true });
    const read = (path: string) => (path === '/run/secrets/kafka-ca.pem' ? '-----BEGIN CERTIFICATE-----' : '');
    expect(kafkaSecurity({ KAFKA_TLS: 'on', KAFKA_TLS_CA_FILE: '/run/secrets/kafka-ca.pem' }, read)).toEqual({
      ssl: { ca: ['-----BEGIN CERTIFICATE-----'] },
    });
  });

  it('passes SASL/SCRAM credentials as kafkajs takes them', () => {
    expect(
      kafkaSecurity({ KAFKA_TLS: 'on', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'gw', KAFKA_SASL_PASSWORD: 'pw' }),
    ).toEqual({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'gw', password: 'pw' } });
  });

  it('refuses a mechanism without credentials, naming the variables and never a value', () => {
    expect(() => kafkaSecurity({ KAFKA_TLS: 'off', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'gw' })).toThrow(
      'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM',
    );
  });

  it('names an unreadable CA file', () => {
    const missing = () => {
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    };
    expect(() => kafkaSecurity({ KAFKA_TLS: 'on', KAFKA_TLS_CA_FILE: '/nowhere.pem' }, missing)).toThrow(
      'KAFKA_TLS_CA_FILE /nowhere.pem cannot be read: ENOENT',
    );
  });
});
