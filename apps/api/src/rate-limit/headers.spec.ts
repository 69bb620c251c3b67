import { LimitState, rateLimitField, rateLimitPolicyField, retryAfterSeconds, tighterLimit } from './headers';

const limit = (over: Partial<LimitState>): LimitState => ({
  name: 'messages:read/project',
  quota: 10,
  windowS: 10,
  remaining: 5,
  resetS: 4,
  exceeded: false,
  ...over,
});

describe('rate limit fields (draft-ietf-httpapi-ratelimit-headers-09)', () => {
  it('formats RateLimit-Policy and RateLimit as structured-field lists of one quoted policy', () => {
    const l = limit({ quota: 3, windowS: 10, remaining: 2, resetS: 7 });
    expect(rateLimitPolicyField(l)).toBe('"messages:read/project";q=3;w=10');
    expect(rateLimitField(l)).toBe('"messages:read/project";r=2;t=7');
  });

  it('escapes quotes and backslashes in a policy name', () => {
    expect(rateLimitPolicyField(limit({ name: 'a"b\\c', quota: 1, windowS: 1 }))).toBe('"a\\"b\\\\c";q=1;w=1');
  });

  it('reports the limit with fewer requests left, the later reset on a tie', () => {
    const key = limit({ name: 'k', remaining: 9, resetS: 1 });
    const project = limit({ name: 'p', remaining: 3, resetS: 1 });
    expect(tighterLimit([key, project]).name).toBe('p');
    expect(tighterLimit([limit({ name: 'a', remaining: 3, resetS: 2 }), limit({ name: 'b', remaining: 3, resetS: 8 })]).name).toBe('b');
  });

  it('reports an exceeded limit over one with requests left, the one freeing up last of two', () => {
    const ok = limit({ name: 'ok', remaining: 0, resetS: 1 });
    const over = limit({ name: 'over', remaining: 0, resetS: 9, exceeded: true });
    expect(tighterLimit([ok, over]).name).toBe('over');
    expect(tighterLimit([over, limit({ name: 'over2', remaining: 0, resetS: 3, exceeded: true })]).name).toBe('over');
  });

  it('waits, in Retry-After, for every exceeded limit, at least one second', () => {
    expect(retryAfterSeconds([limit({ exceeded: true, resetS: 7 }), limit({ exceeded: true, resetS: 3 }), limit({ resetS: 60 })])).toBe(7);
    expect(retryAfterSeconds([limit({ exceeded: true, resetS: 0 })])).toBe(1);
  });
});
