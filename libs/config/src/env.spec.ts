import { apiEnv, ConfigError, loadConfig, orchestratorEnv, workersEnv } from './env';
import { parseAriServers } from './ari-servers';

const base = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092',
  TTS_CACHE_DIR: '/tmp/tts',
  RECORDINGS_DIR: '/tmp/rec',
};

describe('parseAriServers', () => {
  it('falls back to ARI_URL as the server named default', () => {
    expect(parseAriServers(undefined, 'http://127.0.0.1:8088', 'gw', 'pw')).toEqual([
      { name: 'default', url: 'http://127.0.0.1:8088', username: 'gw', password: 'pw' },
    ]);
  });

  it('parses name=url entries; userinfo overrides the shared credentials and is removed from the URL', () => {
    expect(parseAriServers(' a=http://10.0.0.5:8088/ , b=https://us%40r:p%3Ass@pbx.example:8089', undefined, 'gw', 'pw')).toEqual([
      { name: 'a', url: 'http://10.0.0.5:8088', username: 'gw', password: 'pw' },
      { name: 'b', url: 'https://pbx.example:8089', username: 'us@r', password: 'p:ss' },
    ]);
  });

  it.each([
    ['http://10.0.0.5:8088', /entry 1 must be name=url/],
    ['a=nope', /entry 1 \(a\): not a URL/],
    ['a=ftp://x', /must be http/],
    ['a=http://x:1,a=http://y:1', /duplicate name a/],
    ['bad name=http://x:1', /entry 1 must be name=url/],
  ])('rejects %s', (list, message) => {
    expect(() => parseAriServers(list, undefined, 'gw', 'pw')).toThrow(message);
  });

  it('needs credentials and at least one server, and never echoes a password', () => {
    expect(() => parseAriServers('a=http://x:1', undefined, undefined, undefined)).toThrow(/no credentials/);
    expect(() => parseAriServers(undefined, undefined, 'gw', 'pw')).toThrow(/ARI_SERVERS/);
    let message = '';
    try {
      parseAriServers('a=http://u:topsecret@x:1,a=http://u:topsecret@y:1', undefined, undefined, undefined);
    } catch (err) {
      message = String(err);
    }
    expect(message).toMatch(/duplicate name a/);
    expect(message).not.toContain('topsecret');
  });
});

describe('orchestratorEnv', () => {
  it('adds the parsed ariServers', () => {
    const c = loadConfig(orchestratorEnv, {
      ...base,
      ARI_SERVERS: 'a=http://127.0.0.1:1,b=http://127.0.0.1:2',
      ARI_USERNAME: 'gw',
      ARI_PASSWORD: 'pw',
    });
    expect(c.ariServers.map((s) => s.name)).toEqual(['a', 'b']);
    expect(c.ARI_APP).toBe('gateway');
  });

  it('names ARI_SERVERS when no server is configured', () => {
    expect(() => loadConfig(orchestratorEnv, { ...base })).toThrow(ConfigError);
    expect(() => loadConfig(orchestratorEnv, { ...base })).toThrow(/ARI_SERVERS/);
  });
});

describe('apiEnv JWT settings', () => {
  const api = { ...base, OPERATOR_SECRET: 'x'.repeat(16) };

  it('leaves JWTs off without a JWKS, and splits the lists when set', () => {
    expect(loadConfig(apiEnv, api).JWT_JWKS_URLS).toEqual([]);
    const c = loadConfig(apiEnv, {
      ...api,
      JWT_JWKS_URLS: 'https://idp.example/jwks.json, https://idp2.example/keys',
      JWT_ISSUERS: 'https://idp.example',
      JWT_AUDIENCES: 'telecom-gateway',
      JWT_ALGORITHMS: 'ES256',
    });
    expect(c.JWT_JWKS_URLS).toEqual(['https://idp.example/jwks.json', 'https://idp2.example/keys']);
    expect(c.JWT_ALGORITHMS).toEqual(['ES256']);
  });

  it('needs issuers and audiences with a JWKS, and never takes alg none', () => {
    expect(() => loadConfig(apiEnv, { ...api, JWT_JWKS_URLS: 'https://idp.example/jwks.json' })).toThrow(/JWT_ISSUERS.*JWT_AUDIENCES/);
    expect(() => loadConfig(apiEnv, { ...api, JWT_ALGORITHMS: 'none' })).toThrow(/JWT_ALGORITHMS/);
  });
});

describe('OUTBOUND_ALLOWED_CIDRS', () => {
  const workers = { ...base };

  it('is empty by default and splits a list', () => {
    expect(loadConfig(workersEnv, workers).OUTBOUND_ALLOWED_CIDRS).toEqual([]);
    expect(loadConfig(workersEnv, { ...workers, OUTBOUND_ALLOWED_CIDRS: ' 10.20.0.0/16 , ::1/128' }).OUTBOUND_ALLOWED_CIDRS).toEqual([
      '10.20.0.0/16',
      '::1/128',
    ]);
  });

  it('names the variable and the bad entry at boot', () => {
    expect(() => loadConfig(workersEnv, { ...workers, OUTBOUND_ALLOWED_CIDRS: '10.0.0.0/8,intranet' })).toThrow(
      /OUTBOUND_ALLOWED_CIDRS: .*entry 2 .*"intranet"/,
    );
  });

  it('takes entries with a port or port range, and names a bad port at boot', () => {
    const value = '127.0.0.1/32:58200-58399,10.0.0.0/8,[::1]/128:8080';
    expect(loadConfig(workersEnv, { ...workers, OUTBOUND_ALLOWED_CIDRS: value }).OUTBOUND_ALLOWED_CIDRS).toEqual([
      '127.0.0.1/32:58200-58399',
      '10.0.0.0/8',
      '[::1]/128:8080',
    ]);
    expect(() => loadConfig(workersEnv, { ...workers, OUTBOUND_ALLOWED_CIDRS: '127.0.0.1/32:70000' })).toThrow(
      /OUTBOUND_ALLOWED_CIDRS: .*entry 1 .*"127\.0\.0\.1\/32:70000"/,
    );
  });
});
