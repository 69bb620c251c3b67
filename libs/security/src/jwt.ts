import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';

/** How bearer JWTs of internal services are checked and mapped to a project. */
export interface JwtSettings {
  /** JWKS documents (RFC 7517) whose keys may sign tokens; fetched lazily, cached, refetched on an unknown `kid`. */
  jwksUrls: string[];
  /** Accepted `iss` values (RFC 7519 section 4.1.1). */
  issuers: string[];
  /** Accepted `aud` values (section 4.1.3): a token must name one of them. */
  audiences: string[];
  /** Accepted JWS `alg` values (RFC 7518), e.g. RS256, ES256, EdDSA; `none` is never accepted. */
  algorithms: string[];
  /** Clock tolerance for `exp` and `nbf`, seconds. */
  leewayS: number;
  /** Claim naming the project (`prj_...`). */
  projectClaim: string;
  /** Claim with the scopes: a space-separated string (RFC 8693 `scope`) or an array (`scp`). */
  scopeClaim: string;
  /** Timeout of a JWKS fetch, ms. */
  jwksTimeoutMs: number;
  /** Least time between two fetches of one JWKS, ms (a token with an unknown `kid` triggers one). */
  jwksCooldownMs: number;
  /**
   * How long a verified token is trusted without verifying its signature again, ms (never past
   * its `exp`); 0 verifies every time. Bounds how long a key removed from the JWKS still works.
   */
  verifiedCacheMs: number;
}

/** Who a verified token speaks for. */
export interface JwtPrincipal {
  projectId: string;
  scopes: string[];
  /** `sub`, for audit logs; null when absent. */
  subject: string | null;
}

/** A token that does not verify; `reason` names why without echoing the token. */
export class JwtRejectedError extends Error {
  constructor(readonly reason: string) {
    super(`JWT rejected: ${reason}`);
  }
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const PROJECT_ID = /^prj_[A-Za-z0-9]{1,64}$/;

/** Whether a bearer credential has the shape of a compact JWS (RFC 7515 section 7.1): three base64url parts. */
export function looksLikeJwt(token: string): boolean {
  return COMPACT_JWS.test(token);
}

/**
 * Verifies bearer JWTs against the keys of the configured JWKS URLs (jose's remote key sets: cached,
 * refetched when a token names an unknown `kid`, so keys rotate without a restart), checking
 * signature, algorithm allowlist, issuer, audience, `exp`/`nbf` with leeway, then maps the token to
 * a project and scopes by claims. A service sends the same token for minutes, so a verified token
 * is remembered (by its SHA-256, up to 10,000 tokens) for `verifiedCacheMs` or until it expires,
 * whichever is first: a signature check costs more than the rest of a request's authentication.
 */
export class JwtVerifier {
  private readonly keySets: JWTVerifyGetKey[];
  private readonly verified = new LRUCache<string, { principal: JwtPrincipal; untilMs: number }>({ max: 10_000 });

  constructor(private readonly settings: JwtSettings) {
    this.keySets = settings.jwksUrls.map((url) =>
      createRemoteJWKSet(new URL(url), { timeoutDuration: settings.jwksTimeoutMs, cooldownDuration: settings.jwksCooldownMs }),
    );
  }

  /** @throws JwtRejectedError for any token that does not verify or does not name a project. */
  async verify(token: string): Promise<JwtPrincipal> {
    if (this.settings.verifiedCacheMs <= 0) return (await this.check(token)).principal;
    const id = createHash('sha256').update(token).digest('base64url');
    const hit = this.verified.get(id);
    if (hit && hit.untilMs > Date.now()) return hit.principal;
    const { principal, expMs } = await this.check(token);
    this.verified.set(id, { principal, untilMs: Math.min(Date.now() + this.settings.verifiedCacheMs, expMs) });
    return principal;
  }

  private async check(token: string): Promise<{ principal: JwtPrincipal; expMs: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header, input) => this.key(header, input), {
        issuer: this.settings.issuers,
        audience: this.settings.audiences,
        algorithms: this.settings.algorithms,
        clockTolerance: this.settings.leewayS,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      throw new JwtRejectedError(reasonOf(err));
    }
    const project = payload[this.settings.projectClaim];
    if (typeof project !== 'string' || !PROJECT_ID.test(project))
      throw new JwtRejectedError(`claim ${this.settings.projectClaim} must name a project (prj_...)`);
    return {
      principal: {
        projectId: project,
        scopes: scopesOf(payload[this.settings.scopeClaim]),
        subject: typeof payload.sub === 'string' ? payload.sub : null,
      },
      // requiredClaims makes `exp` present; the leeway accepted it until then.
      expMs: (payload.exp! + this.settings.leewayS) * 1000,
    };
  }

  /** The first configured key set that has a key for the token's header. */
  private async key(...args: Parameters<JWTVerifyGetKey>): Promise<Awaited<ReturnType<JWTVerifyGetKey>>> {
    let last: unknown = new JwtRejectedError('no JWKS configured');
    for (const set of this.keySets) {
      try {
        return await set(...args);
      } catch (err) {
        last = err;
      }
    }
    throw last;
  }
}

function scopesOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((s): s is string => typeof s === 'string');
  return [];
}

function reasonOf(err: unknown): string {
  if (err instanceof JwtRejectedError) return err.reason;
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `claim ${err.claim} ${err.reason.replace(/_/g, ' ')}`;
  if (err instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (err instanceof errors.JWKSNoMatchingKey) return 'no key of the JWKS matches';
  if (err instanceof errors.JWKSTimeout) return 'JWKS fetch timed out';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (err instanceof errors.JOSEError) return err.code;
  return 'unreadable token';
}
