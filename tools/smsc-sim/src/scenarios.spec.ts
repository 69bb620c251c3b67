import { BUILTIN_DEFAULT, ScenarioBook, ScenarioError, parseCommandStatus, parseScenarioSet, planFor, receiptWanted } from './scenarios';

describe('scenario rules', () => {
  const book = new ScenarioBook(
    parseScenarioSet({
      rules: [
        { match: '+1555000', prefix: true, outcome: 'undeliverable', err: '12' },
        { match: '1555000', prefix: true, outcome: 'expired' },
        { match: '+15550009', prefix: true, outcome: 'rejected' },
        { match: '15550001111', outcome: 'submit_error', commandStatus: 'ESME_RTHROTTLED' },
      ],
      default: { outcome: 'no_receipt' },
    }),
  );

  it('prefers an exact rule, with or without a leading +', () => {
    for (const d of ['15550001111', '+15550001111']) {
      const plan = book.resolve(d);
      expect(plan).toMatchObject({ outcome: 'submit_error', commandStatus: 0x58, receipts: [], matchedRule: '15550001111' });
    }
  });

  it('takes the longest prefix, first listed on ties', () => {
    expect(book.resolve('+15550009876').outcome).toBe('rejected');
    const plan = book.resolve('15550001234');
    expect(plan.outcome).toBe('undeliverable');
    expect(plan.receipts).toEqual([{ stat: 'UNDELIV', err: '012', dlvrd: 0, afterMs: 200, final: true }]);
  });

  it('falls back to the default', () => {
    expect(book.resolve('+4470000000')).toMatchObject({ outcome: 'no_receipt', matchedRule: 'default', receipts: [] });
  });

  it('replaces and resets to the start-up set', () => {
    const b = new ScenarioBook(parseScenarioSet({ rules: [{ match: '1', outcome: 'deleted' }] }));
    b.replace(parseScenarioSet({ rules: [] }));
    expect(b.resolve('1').outcome).toBe('delivered');
    b.reset();
    expect(b.resolve('1').outcome).toBe('deleted');
    expect(b.get().default).toEqual(BUILTIN_DEFAULT);
  });

  it('plans duplicate and intermediate receipts', () => {
    expect(planFor({ outcome: 'duplicate_receipt', delayMs: 5, enrouteFirst: true }, 'x').receipts).toEqual([
      { stat: 'ENROUTE', err: '000', dlvrd: 0, afterMs: 0, final: false },
      { stat: 'DELIVRD', err: '000', dlvrd: 1, afterMs: 5, final: true },
      { stat: 'DELIVRD', err: '000', dlvrd: 1, afterMs: 5, final: true },
    ]);
    expect(planFor({ outcome: 'deleted', enrouteFirst: true, intermediateStat: 'ACCEPTD' }, 'x').receipts.map((r) => r.stat)).toEqual([
      'ACCEPTD',
      'DELETED',
    ]);
    expect(planFor({ outcome: 'submit_error' }, 'x').commandStatus).toBe(0x0b);
  });

  it('honours registered_delivery bits 0-1', () => {
    const ok = { stat: 'DELIVRD' as const, err: '000', dlvrd: 1, afterMs: 0, final: true };
    const bad = { ...ok, stat: 'UNDELIV' as const, dlvrd: 0 };
    expect(receiptWanted(0, ok)).toBe(false);
    expect(receiptWanted(0x10, ok)).toBe(false);
    expect(receiptWanted(1, ok)).toBe(true);
    expect(receiptWanted(2, ok)).toBe(false);
    expect(receiptWanted(2, bad)).toBe(true);
    expect(receiptWanted(3, ok)).toBe(true);
  });

  it('parses command_status as number, hex, decimal string or ESME name', () => {
    expect(parseCommandStatus(0x14)).toBe(0x14);
    expect(parseCommandStatus('0x0000000B')).toBe(0x0b);
    expect(parseCommandStatus('88')).toBe(88);
    expect(parseCommandStatus('ESME_RINVDSTADR')).toBe(0x0b);
    expect(() => parseCommandStatus(0)).toThrow(ScenarioError);
    expect(() => parseCommandStatus('ESME_NOPE')).toThrow(ScenarioError);
  });

  it.each([
    [[], 'body must be an object'],
    [{ rules: {} }, 'rules must be an array'],
    [{ rules: [{ outcome: 'delivered' }] }, 'rules[0].match'],
    [{ rules: [{ match: '1', outcome: 'lost' }] }, 'rules[0].outcome must be one of'],
    [{ rules: [{ match: '1', outcome: 'delivered', delayMs: -1 }] }, 'delayMs'],
    [{ rules: [{ match: '1', outcome: 'delivered', commandStatus: 11 }] }, 'only applies to outcome submit_error'],
    [{ rules: [{ match: '1', outcome: 'delivered', err: 'abcd' }] }, 'err must be'],
    [{ rules: [{ match: '1', outcome: 'delivered', delay: 5 }] }, 'unknown field "delay"'],
    [{ rules: [], default: { match: '1', outcome: 'delivered' } }, 'default: unknown field "match"'],
    [{ rule: [] }, 'unknown field "rule"'],
  ])('rejects %j', (input, message) => {
    expect(() => parseScenarioSet(input)).toThrow(message);
  });

  it('accepts enroute_first as an alias and normalises err', () => {
    expect(parseScenarioSet({ rules: [{ match: ' +1 ', outcome: 'delivered', enroute_first: true, err: 7 }] }).rules[0]).toEqual({
      match: '+1',
      outcome: 'delivered',
      enrouteFirst: true,
      err: '007',
    });
  });
});
