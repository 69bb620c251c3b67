import {
  DEFAULT_FAR_END,
  ScenarioError,
  dialedNumber,
  farEndForCaller,
  farEndForEndpoint,
  parseScenarioSet,
  scenarioSetToJson,
} from './sim/scenarios';

describe('scenarios', () => {
  it('defaults to answering after 200 ms with no digits and no hangup', () => {
    const set = parseScenarioSet({});
    expect(set.default).toEqual(DEFAULT_FAR_END);
    expect(farEndForEndpoint(set, 'PJSIP/+15550001@trunk')).toMatchObject({ outcome: 'answer', answerAfterMs: 200, digits: [] });
    expect(farEndForEndpoint(set, 'PJSIP/+15550001@trunk').hangupAfterMs).toBeUndefined();
  });

  it.each([
    ['PJSIP/+15550001@trunk', '+15550001'],
    ['PJSIP/trunk/sip:+15550001@carrier.example', '+15550001'],
    ['SIP/trunk/15550001', '15550001'],
    ['Local/100@from-internal', '100'],
    ['PJSIP/alice', 'alice'],
  ])('takes the number of %s', (endpoint, number) => {
    expect(dialedNumber(endpoint)).toBe(number);
  });

  it('matches rules in order by exact number, prefix or endpoint; rules inherit the default', () => {
    const set = parseScenarioSet({
      default: { answerAfterMs: 50, speechMs: 700 },
      rules: [
        { number: '+15550001', outcome: 'busy' },
        { prefix: '+1555', hangupAfterMs: 1000 },
        { endpoint: 'PJSIP/alice', outcome: 'noanswer' },
      ],
    });
    expect(farEndForEndpoint(set, 'PJSIP/+15550001@trunk')).toMatchObject({ outcome: 'busy', answerAfterMs: 50, speechMs: 700 });
    expect(farEndForEndpoint(set, 'PJSIP/+15559999@trunk')).toMatchObject({ outcome: 'answer', hangupAfterMs: 1000 });
    expect(farEndForEndpoint(set, 'PJSIP/alice').outcome).toBe('noanswer');
    expect(farEndForEndpoint(set, 'PJSIP/+4420@trunk')).toBe(set.default);
    expect(farEndForCaller(set, '+15550001').outcome).toBe('busy');
  });

  it('parses digit steps with their defaults', () => {
    const set = parseScenarioSet({
      default: {
        digits: [
          { atMs: 1500, digit: '1' },
          { afterPlaybackStartMs: 200, digits: '12#', playback: 2, gapMs: 50 },
        ],
      },
    });
    expect(set.default.digits).toEqual([
      { digits: '1', atMs: 1500, playback: 1, gapMs: 200, durationMs: 100 },
      { digits: '12#', afterPlaybackStartMs: 200, playback: 2, gapMs: 50, durationMs: 100 },
    ]);
  });

  it.each([
    [{ rules: {} }, 'rules must be an array'],
    [{ rules: [{ outcome: 'busy' }] }, 'rules[0] needs exactly one of number, prefix, endpoint'],
    [{ rules: [{ number: '+1', prefix: '+1' }] }, 'rules[0] needs exactly one of number, prefix, endpoint'],
    [{ default: { answerAfterMs: -1 } }, 'default.answerAfterMs must be a non-negative integer'],
    [{ default: { digits: [{ digits: 'x', atMs: 1 }] } }, 'default.digits[0].digits must be DTMF characters (0-9, A-D, *, #)'],
    [{ default: { digits: [{ digits: '1' }] } }, 'default.digits[0] needs exactly one of atMs, afterPlaybackStartMs'],
    [{ default: { hangupAfter: 5 } }, 'default.hangupAfter is not a scenario field'],
    [{ media: { sounds: { a: 'long' } } }, 'media.sounds.a must be a non-negative integer'],
  ])('rejects %j', (raw, message) => {
    expect(() => parseScenarioSet(raw)).toThrow(new ScenarioError(message));
  });

  it('serializes to JSON that parses back to the same set', () => {
    const set = parseScenarioSet({
      rules: [{ prefix: '+44', outcome: 'reject', digits: [{ atMs: 5, digits: '9' }] }],
      media: { sounds: { x: null } },
    });
    expect(parseScenarioSet(JSON.parse(JSON.stringify(scenarioSetToJson(set))))).toEqual(set);
  });
});
