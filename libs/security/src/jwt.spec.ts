import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { JwtRejectedError, JwtSettings, JwtVerifier, looksLikeJwt } from './jwt';

type Key = { kid: string; privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']; jwk: JWK };

async function newKey(kid: string, alg: 'RS256' | 'ES256' = 'ES256'): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

describe('JwtVerifier (jose, a JWKS served over HTTP)', () => {
  let server: Server;
  let published: Key[] = [];
  let fetches = 0;
  let settings: JwtSettings;
  let a: Key;
  let b: Key;

  beforeAll(async () => {
    [a, b] = await Promise.all([newKey('key-a'), newKey('key-b', 'RS256')]);
    server = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    settings = {
      jwksUrls: [`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`],
      issuers: ['https://issuer.test'],
      audiences: ['telecom-gateway'],
      algorithms: ['ES256', 'RS256'],
      leewayS: 5,
      projectClaim: 'project_id',
      scopeClaim: 'scope',
      jwksTimeoutMs: 2000,
      jwksCooldownMs: 100,
      verifiedCacheMs: 0,
    };
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    published = [a];
  });

  const sign = (key: Key, claims: Record<string, unknown> = {}, opts: { exp?: string | number; aud?: string; iss?: string } = {}) =>
    new SignJWT({ project_id: 'prj_abc123', scope: 'messages:send calls:read', ...claims })
      .setProtectedHeader({ alg: key.jwk.alg as string, kid: key.kid })
      .setIssuer(opts.iss ?? 'https://issuer.test')
      .setAudience(opts.aud ?? 'telecom-gateway')
      .setSubject('svc-billing')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '5m')
      .sign(key.privateKey);

  const rejection = async (token: string) => {
    try {
      await new JwtVerifier(settings).verify(token);
    } catch (err) {
      if (err instanceof JwtRejectedError) return err.reason;
      throw err;
    }
    return 'accepted';
  };

  it('accepts a token signed by a JWKS key and maps project, scopes and subject', async () => {
    await expect(new JwtVerifier(settings).verify(await sign(a))).resolves.toEqual({
      projectId: 'prj_abc123',
      scopes: ['messages:send', 'calls:read'],
      subject: 'svc-billing',
    });
    expect(await new JwtVerifier({ ...settings, scopeClaim: 'scp' }).verify(await sign(a, { scp: ['usage:read'] }))).toMatchObject({
      scopes: ['usage:read'],
    });
  });

  it.each([
    ['expired (past the leeway)', () => sign(a, {}, { exp: Math.floor(Date.now() / 1000) - 60 }), 'expired'],
    ['for another audience', () => sign(a, {}, { aud: 'someone-else' }), 'claim aud check failed'],
    ['from another issuer', () => sign(a, {}, { iss: 'https://evil.test' }), 'claim iss check failed'],
    ['without a project claim', () => sign(a, { project_id: undefined }), 'claim project_id must name a project (prj_...)'],
  ])('rejects a token %s', async (_name, token, reason) => {
    expect(await rejection(await token())).toBe(reason);
  });

  it('accepts a token expired by less than the leeway', async () => {
    expect(await rejection(await sign(a, {}, { exp: Math.floor(Date.now() / 1000) - 2 }))).toBe('accepted');
  });

  it('rejects a token signed by a key the JWKS does not have', async () => {
    expect(await rejection(await sign(b))).toBe('no key of the JWKS matches');
  });

  it('rejects alg none and algorithms outside the allowlist', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = {
      project_id: 'prj_abc123',
      iss: 'https://issuer.test',
      aud: 'telecom-gateway',
      exp: Math.floor(Date.now() / 1000) + 300,
    };
    expect(await rejection(`${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`)).toBe('algorithm not allowed');
    expect(
      await new JwtVerifier({ ...settings, algorithms: ['ES256'] }).verify(await sign(b)).catch((e: JwtRejectedError) => e.reason),
    ).toBe('algorithm not allowed');
  });

  it('takes a rotated key without a restart: a token with an unknown kid refetches the JWKS', async () => {
    const verifier = new JwtVerifier(settings);
    await verifier.verify(await sign(a));
    const before = fetches;
    published = [a, b];
    await new Promise((r) => setTimeout(r, 150));
    await expect(verifier.verify(await sign(b))).resolves.toMatchObject({ projectId: 'prj_abc123' });
    expect(fetches).toBe(before + 1);
    await verifier.verify(await sign(a));
    expect(fetches).toBe(before + 1);
  });

  it('remembers a verified token for verifiedCacheMs, never past its expiry', async () => {
    const verifier = new JwtVerifier({ ...settings, verifiedCacheMs: 60_000 });
    const token = await sign(a);
    await verifier.verify(token);
    // Once the JWKS lost its key, only a remembered token still verifies.
    published = [b];
    await new Promise((r) => setTimeout(r, 150));
    await expect(verifier.verify(token)).resolves.toMatchObject({ projectId: 'prj_abc123' });
    await expect(new JwtVerifier(settings).verify(token)).rejects.toBeInstanceOf(JwtRejectedError);
    const shortLived = new JwtVerifier({ ...settings, verifiedCacheMs: 60_000, leewayS: 0 });
    published = [a];
    const soon = await sign(a, {}, { exp: Math.floor(Date.now() / 1000) + 1 });
    await shortLived.verify(soon);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await shortLived.verify(soon).catch((e: JwtRejectedError) => e.reason)).toBe('expired');
  });

  it('rejects, never throws anything else, when the JWKS cannot be fetched', async () => {
    const down = new JwtVerifier({ ...settings, jwksUrls: ['http://127.0.0.1:9/jwks.json'] });
    await expect(down.verify(await sign(a))).rejects.toBeInstanceOf(JwtRejectedError);
  });

  it('tells JWT-shaped credentials from API keys', () => {
    expect(looksLikeJwt('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
    expect(looksLikeJwt('gw_live_abcdefgh_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG')).toBe(false);
  });
});
