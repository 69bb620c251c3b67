import { createServer, Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { E2e, env, ErrorBody, TestProject } from '../support/e2e';

type Key = { kid: string; privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']; jwk: JWK };

async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/**
 * Bearer JWTs of internal services against the running api, whose JWT_* settings (scripts/test.sh)
 * point at the JWKS this test serves: accepted, and rejected when expired, for another audience,
 * signed by a key the JWKS lacks, `alg: none`, or naming no known project; API keys keep working.
 */
describe('JWT authentication of internal services', () => {
  const t = new E2e();
  let p: TestProject;
  let server: Server;
  let signing: Key;
  let stranger: Key;
  const jwks = new URL(env('JWT_JWKS_URLS').split(',')[0]);

  beforeAll(async () => {
    await t.start();
    p = await t.project('jwt');
    [signing, stranger] = await Promise.all([newKey('e2e-1'), newKey('e2e-2')]);
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [signing.jwk] }));
    });
    await new Promise<void>((r) => server.listen(Number(jwks.port), jwks.hostname, r));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await t.stop();
  });

  const token = (key: Key, claims: Record<string, unknown> = {}, exp: string | number = '5m', aud = env('JWT_AUDIENCES').split(',')[0]) =>
    new SignJWT({ project_id: p.id, scope: 'messages:send messages:read', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setIssuer(env('JWT_ISSUERS').split(',')[0])
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(key.privateKey);
  const asBearer = (jwt: string) => t.api.as(jwt);

  it('accepts a token of the JWKS for its project, like an API key', async () => {
    const gw = asBearer(await token(signing));
    const sent = await gw.sendRaw({ to: '+14155550100', from: 'ACME', body: 'sent with a JWT' });
    expect(sent.status).toBe(201);
    const listed = await p.gw.getRaw(`/v1/messages/${(sent.body as { id: string }).id}`);
    expect(listed.status).toBe(200);
    expect((await gw.getRaw('/v1/messages?limit=1')).status).toBe(200);
  });

  it.each([
    ['expired', () => token(signing, {}, Math.floor(Date.now() / 1000) - 3600)],
    ['for another audience', () => token(signing, {}, '5m', 'another-service')],
    ['signed by a key the JWKS lacks', () => token(stranger)],
    ['naming no known project', () => token(signing, { project_id: 'prj_doesnotexist' })],
  ])('rejects a token %s with 401', async (_name, make) => {
    const res = await asBearer(await make()).getRaw('/v1/messages?limit=1');
    expect(res.status).toBe(401);
    expect((res.body as ErrorBody).error.code).toBe('unauthenticated');
  });

  it('refuses with 403 naming the scope a token lacks, and lets it do what its scopes allow', async () => {
    const reader = asBearer(await token(signing, { scope: 'messages:read' }));
    expect((await reader.getRaw('/v1/messages?limit=1')).status).toBe(200);
    const res = await reader.sendRaw({ to: '+14155550100', from: 'ACME', body: 'not allowed' });
    expect(res.status).toBe(403);
    expect((res.body as ErrorBody).error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('messages:send') });
    expect((await reader.getRaw('/v1/usage?from=2026-11-01&to=2026-11-30')).status).toBe(403);
  });

  it('rejects alg none with 401', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = {
      project_id: p.id,
      iss: env('JWT_ISSUERS').split(',')[0],
      aud: env('JWT_AUDIENCES').split(',')[0],
      exp: Math.floor(Date.now() / 1000) + 300,
    };
    expect((await asBearer(`${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`).getRaw('/v1/messages?limit=1')).status).toBe(401);
  });
});
