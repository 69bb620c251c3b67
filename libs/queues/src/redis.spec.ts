import { redisConnection } from './redis';

describe('redisConnection', () => {
  it('reads host, port, database and credentials from a redis:// URL, without TLS', () => {
    expect(redisConnection('redis://gw:p%40ss@cache.internal:6380/3')).toEqual({
      host: 'cache.internal',
      port: 6380,
      db: 3,
      username: 'gw',
      password: 'p@ss',
      maxRetriesPerRequest: null,
      connectTimeout: 5000,
    });
  });

  it('turns TLS on for a rediss:// URL (managed Redis), checking the host name', () => {
    const options = redisConnection('rediss://default:secret@redis.example.net:6379/1') as { tls?: { servername: string } };
    expect(options.tls).toEqual({ servername: 'redis.example.net' });
  });
});
