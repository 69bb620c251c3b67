import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/** What the guard needs of a verified key. */
export interface CachedKey {
  /** SHA-256 of the key, hex: each request's key is compared with it in constant time. */
  hash: string;
  projectId: string;
  /** null = every scope. */
  scopes: string[] | null;
  /** Epoch ms after which the key is refused; null = never. */
  expiresAtMs: number | null;
}

/** How long a key's row is trusted without asking Postgres again, ms: the bound on a revocation whose broadcast was lost. */
export const API_KEY_CACHE_TTL_MS = 30_000;

/**
 * Verified API keys by lookup prefix (never the key itself), for API_KEY_CACHE_TTL_MS. A
 * revocation removes the entry on every api process at once through KeyRevocations.
 */
@Injectable()
export class ApiKeyCache {
  private readonly keys = new LRUCache<string, CachedKey>({ max: 10_000, ttl: API_KEY_CACHE_TTL_MS });

  get(prefix: string): CachedKey | undefined {
    return this.keys.get(prefix);
  }

  set(prefix: string, key: CachedKey): void {
    this.keys.set(prefix, key);
  }

  /** Drops one key (revoked, or its expiry moved). */
  forget(prefix: string): void {
    this.keys.delete(prefix);
  }

  /** Drops every key: revocations may have been missed (the broadcast channel was down). */
  clear(): void {
    this.keys.clear();
  }
}
