import type { ApiConfig } from '@gw/config';
import { JwtVerifier } from '@gw/security';

/** The api's JwtVerifier from JWT_* settings, or null when no JWKS is configured (API keys only). */
export function jwtVerifierFrom(c: ApiConfig): JwtVerifier | null {
  if (!c.JWT_JWKS_URLS.length) return null;
  return new JwtVerifier({
    jwksUrls: c.JWT_JWKS_URLS,
    issuers: c.JWT_ISSUERS,
    audiences: c.JWT_AUDIENCES,
    algorithms: c.JWT_ALGORITHMS,
    leewayS: c.JWT_LEEWAY_S,
    projectClaim: c.JWT_PROJECT_CLAIM,
    scopeClaim: c.JWT_SCOPE_CLAIM,
    jwksTimeoutMs: c.JWT_JWKS_TIMEOUT_MS,
    jwksCooldownMs: c.JWT_JWKS_COOLDOWN_MS,
    verifiedCacheMs: c.JWT_VERIFIED_CACHE_MS,
  });
}
