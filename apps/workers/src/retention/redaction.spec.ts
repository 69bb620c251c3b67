import { DAY_MS, erasureMarker, redactTimelineEntry, retentionCutoff, settledPrefix } from './redaction';

describe('redactTimelineEntry', () => {
  it('drops what a caller pressed, said or was told, and dial targets, keeping kinds, statuses, causes and durations', () => {
    const step = { document: 0, index: 2, label: 'menu', verb: 'gather', numDigits: 4 };
    expect(redactTimelineEntry({ step, detail: { kind: 'gathered', digits: '4711', reason: 'num_digits' } })).toEqual({
      step: { document: 0, index: 2, label: 'menu', verb: 'gather' },
      detail: { kind: 'gathered' },
    });
    expect(redactTimelineEntry({ step: null, detail: { digit: '7', duration_ms: 120 } })).toEqual({
      step: null,
      detail: { duration_ms: 120 },
    });
    expect(
      redactTimelineEntry({
        step: { verb: 'say', index: 0, document: 0, label: null },
        detail: { text: 'Hello Alice, your PIN is 1234', voice: 'en-us', loop: 2 },
      }),
    ).toEqual({ step: { verb: 'say', index: 0, document: 0, label: null }, detail: { loop: 2 } });
    expect(
      redactTimelineEntry({
        step: null,
        detail: { target: '+14155550100', callerId: '+15550000001', timeoutMs: 20000, timeLimitMs: null },
      }),
    ).toEqual({ step: null, detail: { timeoutMs: 20000 } });
    expect(redactTimelineEntry({ step: null, detail: { kind: 'dialed', status: 'completed', durationS: 42 } })).toEqual({
      step: null,
      detail: { kind: 'dialed', status: 'completed', durationS: 42 },
    });
  });

  it('keeps transition causes and recording ids, drops fetch URLs, bodies, returned verbs and free-text reasons', () => {
    expect(redactTimelineEntry({ step: null, detail: { hangup_cause: 'NORMAL_CLEARING' } })).toEqual({
      step: null,
      detail: { hangup_cause: 'NORMAL_CLEARING' },
    });
    expect(redactTimelineEntry({ step: null, detail: { recording_id: 'rec_1', duration_s: 3 } })).toEqual({
      step: null,
      detail: { recording_id: 'rec_1', duration_s: 3 },
    });
    expect(
      redactTimelineEntry({
        step: null,
        detail: {
          kind: 'fetched',
          ok: true,
          verbs: [{ verb: 'say', text: 'secret' }],
          url: 'https://x.example/?digits=1',
          purpose: 'redirect',
        },
      }),
    ).toEqual({ step: null, detail: { kind: 'fetched', ok: true, purpose: 'redirect' } });
    expect(redactTimelineEntry({ step: null, detail: { reason: 'request to https://x.example/?from=+1415 failed' } })).toEqual({
      step: null,
      detail: {},
    });
  });

  it('drops a field it does not know, whatever its name, unless it is a number or a flag', () => {
    expect(redactTimelineEntry({ step: null, detail: { transcript: 'my account is 12345', confidence: 0.9, final: true } })).toEqual({
      step: null,
      detail: { confidence: 0.9, final: true },
    });
    expect(redactTimelineEntry({ step: null, detail: null })).toEqual({ step: null, detail: null });
  });

  it('changes nothing more when applied twice', () => {
    const once = redactTimelineEntry({ step: { verb: 'say', text: 'x' }, detail: { text: 'y', loop: 1, kind: 'done' } });
    expect(redactTimelineEntry(once)).toEqual(once);
  });
});

describe('settledPrefix', () => {
  it('stops before the first unsettled row', () => {
    const rows = [{ live: false }, { live: false }, { live: true }, { live: false }];
    expect(settledPrefix(rows, (r) => !r.live)).toEqual([{ live: false }, { live: false }]);
    expect(settledPrefix(rows.slice(3), (r) => !r.live)).toEqual([{ live: false }]);
    expect(settledPrefix([{ live: true }], (r) => !r.live)).toEqual([]);
  });
});

describe('erasureMarker and retentionCutoff', () => {
  it('names the erasure instead of the number', () => {
    expect(erasureMarker('era_abc')).toBe('erased:era_abc');
  });

  it('puts the cutoff whole days before now', () => {
    const now = Date.UTC(2026, 11, 31, 12);
    expect(retentionCutoff(30, now).getTime()).toBe(now - 30 * DAY_MS);
    expect(retentionCutoff(1, now).toISOString()).toBe('2026-12-30T12:00:00.000Z');
  });
});
