import { ConfigError } from '@gw/config';
import { RATE_LIMIT_CLASSES } from './classes';
import { BUILT_IN_RATE_LIMITS, defaultRateLimits } from './policies';

/** The issues defaultRateLimits names for `json` ([] when it accepts it). */
function issuesOf(json: string): string[] {
  try {
    defaultRateLimits(json);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
}

describe('defaultRateLimits (RATE_LIMITS)', () => {
  it('is the built-in table when unset', () => {
    expect(defaultRateLimits('')).toEqual(BUILT_IN_RATE_LIMITS);
    expect(defaultRateLimits('{}')).toEqual(BUILT_IN_RATE_LIMITS);
  });

  it('replaces the classes it names, for every class', () => {
    for (const cls of RATE_LIMIT_CLASSES) {
      const table = defaultRateLimits(JSON.stringify({ [cls]: { per_key: 5, per_project: 50, window_s: 60 } }));
      expect(table).toEqual({ ...BUILT_IN_RATE_LIMITS, [cls]: { per_key: 5, per_project: 50, window_s: 60 } });
    }
  });

  it.each([
    ['not JSON', '{messages', ['RATE_LIMITS: not valid JSON']],
    ['not an object', '[1]', ['RATE_LIMITS: must be a JSON object']],
    ['a class that is not an object', '{"flows":[]}', ['RATE_LIMITS.flows: flows must be an object']],
    ['an unknown class', '{"sms":{"per_key":1,"per_project":1,"window_s":1}}', ['RATE_LIMITS.sms: property sms should not exist']],
    [
      'a missing or bad number',
      '{"flows":{"per_key":0,"window_s":1.5}}',
      [
        'RATE_LIMITS.flows.per_key: per_key must not be less than 1',
        'RATE_LIMITS.flows.per_project: per_project must not be greater than 1000000000; per_project must not be less than 1; per_project must be an integer number',
        'RATE_LIMITS.flows.window_s: window_s must be an integer number',
      ],
    ],
  ])('refuses %s, naming the field', (_name, json, issues) => {
    expect(issuesOf(json)).toEqual(issues);
  });
});
