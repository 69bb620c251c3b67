import { createServer, Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** Issuer and audience of the benchmark's tokens (the api under test is started with them). */
export const BENCH_ISSUER = 'https://issuer.bench.test';
export const BENCH_AUDIENCE = 'telecom-gateway';

/**
 * An internal service's identity provider for benchmark (a): an ES256 key served as a JWKS
 * (RFC 7517) on 127.0.0.1, and a token for a project signed with it, as the api's JWT_* settings
 * expect (`project_id` and space-separated `scope` claims).
 */
export class JwtIssuer {
  private server: Server | null = null;

  private constructor(
    private readonly privateKey: PrivateKey,
    private readonly jwks: string,
  ) {}

  static async create(): Promise<JwtIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'ES256', use: 'sig' };
    return new JwtIssuer(privateKey, JSON.stringify({ keys: [jwk] }));
  }

  /** Serves the JWKS; resolves with its URL. */
  async start(): Promise<string> {
    this.server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(this.jwks);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const { port } = this.server.address() as { port: number };
    return `http://127.0.0.1:${port}/jwks.json`;
  }

  /** A token for `projectId` with `scope` (space-separated), valid for an hour. */
  token(projectId: string, scope: string): Promise<string> {
    return new SignJWT({ project_id: projectId, scope })
      .setProtectedHeader({ alg: 'ES256', kid: 'bench-1' })
      .setIssuer(BENCH_ISSUER)
      .setAudience(BENCH_AUDIENCE)
      .setSubject('bench')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(this.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
