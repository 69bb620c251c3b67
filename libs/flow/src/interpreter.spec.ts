import { LIMITS } from './limits';
import { currentCommand, flowSchema, FlowRuntimeError, resume, SAMPLE_FLOW, start } from './index';
import type { Advance, CallState, Command, Flow, StepResult } from './index';
import { dial, flowOf, gather, hangup, pause, play, record, redirect, say } from './testing/builders';

const DONE: StepResult = { kind: 'done' };

/** Feeds results in turn and returns every answer. */
function run(flow: Flow, ...results: StepResult[]): Advance[] {
  const answers = [start(flow, { context: { call_id: 'call_1' } })];
  for (const result of results) answers.push(resume(answers[answers.length - 1].state, result));
  return answers;
}
const last = (answers: Advance[]): Advance => answers[answers.length - 1];
const commandOf = (answers: Advance[]): Command | null => last(answers).command;
/** The command with only the fields a test cares about. */
const brief = (command: Command | null): Record<string, unknown> | null =>
  command === null ? null : { kind: command.kind, index: command.step.index, label: command.step.label, document: command.step.document };

describe('interpreter: the sample flow', () => {
  it('greets, offers the menu, records on 1, says goodbye and hangs up', () => {
    const answers = run(
      SAMPLE_FLOW,
      DONE,
      { kind: 'gathered', digits: '1', reason: 'num_digits' },
      DONE,
      { kind: 'recorded', recordingId: 'rec_1', durationS: 12 },
      DONE,
    );
    expect(answers.map((a) => a.command)).toEqual([
      {
        kind: 'say',
        step: { document: 0, index: 0, label: null, verb: 'say' },
        text: 'Welcome to the gateway demo.',
        voice: 'en-us',
        loop: 1,
      },
      {
        kind: 'gather',
        step: { document: 0, index: 1, label: 'menu', verb: 'gather' },
        prompt: { kind: 'say', text: 'Press 1 to leave a message. Press 2 to hear this menu again.', voice: 'en-us', loop: 1 },
        numDigits: 1,
        minDigits: 1,
        maxDigits: 1,
        finishOnKey: '#',
        timeoutMs: 5000,
        interDigitTimeoutMs: 5000,
      },
      expect.objectContaining({ kind: 'say', step: { document: 0, index: 3, label: 'voicemail', verb: 'say' } }),
      { kind: 'record', step: { document: 0, index: 4, label: null, verb: 'record' }, maxLengthMs: 120_000, finishOnKey: '#', beep: true },
      expect.objectContaining({ kind: 'say', text: 'Thank you. Goodbye.' }),
      { kind: 'hangup', step: { document: 0, index: 6, label: null, verb: 'hangup' }, reason: 'normal', cause: 'verb' },
    ]);
    expect(last(answers).state.ended).toBe('verb');
    expect(last(answers).state.vars).toEqual({ digits: '1', gather_reason: 'num_digits', recording_id: 'rec_1', recording_duration: 12 });
    expect(answers[2].events).toEqual([
      { type: 'jump', from: { document: 0, index: 1, label: 'menu', verb: 'gather' }, to: 3, via: 'branch' },
    ]);
  });

  it('sends an unknown key to the default branch, which returns to the menu', () => {
    const answers = run(SAMPLE_FLOW, DONE, { kind: 'gathered', digits: '7', reason: 'num_digits' }, DONE);
    expect(brief(answers[2].command)).toEqual({ kind: 'say', index: 2, label: 'invalid', document: 0 });
    expect(answers[2].events[0]).toMatchObject({ type: 'jump', to: 2, via: 'default' });
    expect(brief(answers[3].command)).toEqual({ kind: 'gather', index: 1, label: 'menu', document: 0 });
    expect(answers[3].events[0]).toMatchObject({ type: 'jump', to: 1, via: 'next' });
  });

  it('sends silence to onTimeout', () => {
    const answers = run(SAMPLE_FLOW, DONE, { kind: 'gathered', digits: '', reason: 'timeout' });
    expect(brief(commandOf(answers))).toEqual({ kind: 'say', index: 5, label: 'goodbye', document: 0 });
    expect(last(answers).events[0]).toMatchObject({ via: 'onTimeout' });
  });
});

describe('interpreter: gather', () => {
  const menu = flowOf(
    gather({ label: 'menu', maxDigits: 3, branches: { '1': 'one', '22': 'two' }, finishOnKey: '#' }),
    say({ label: 'fell', text: 'fell through' }),
    say({ label: 'one', text: 'one' }),
    say({ label: 'two', text: 'two' }),
  );
  it('applies the defaults to the command', () => {
    expect(start(flowOf(gather(), say())).command).toEqual({
      kind: 'gather',
      step: { document: 0, index: 0, label: null, verb: 'gather' },
      prompt: null,
      numDigits: null,
      minDigits: 1,
      maxDigits: 20,
      finishOnKey: '#',
      timeoutMs: 5000,
      interDigitTimeoutMs: 5000,
    });
  });

  it('uses the defaults the published schema states', () => {
    const g = flowSchema.$defs.gather.properties;
    const command = start(flowOf(gather(), say())).command;
    expect(command).toMatchObject({
      finishOnKey: g.finishOnKey.default,
      timeoutMs: Number(g.timeout.default) * 1000,
      minDigits: g.minDigits.default,
    });
  });

  it('turns seconds into ms and carries a prompt with loop 0', () => {
    const flow = flowOf(
      gather({ timeout: 8, interDigitTimeout: 2, finishOnKey: '', prompt: { verb: 'play', url: 'sound:menu', loop: 0 } }),
      say(),
    );
    expect(start(flow).command).toMatchObject({
      timeoutMs: 8000,
      interDigitTimeoutMs: 2000,
      finishOnKey: '',
      prompt: { kind: 'play', url: 'sound:menu', loop: 0 },
    });
  });

  it.each([
    ['a one-digit branch', '1', 'finish_key', 'one', 'branch'],
    ['a two-digit branch after the inter-digit timeout', '22', 'inter_digit_timeout', 'two', 'branch'],
    ['no match (no default: falls through)', '3', 'finish_key', 'fell', 'sequence'],
    ['a prefix of a branch', '2', 'inter_digit_timeout', 'fell', 'sequence'],
    ['the finish key alone (no onTimeout: falls through)', '', 'finish_key', 'fell', 'sequence'],
    ['a timeout (no onTimeout: falls through)', '', 'timeout', 'fell', 'sequence'],
  ] as const)('resolves %s', (_, digits, reason, label, via) => {
    const answers = run(menu, { kind: 'gathered', digits, reason });
    expect(commandOf(answers)?.step.label).toBe(label);
    expect(last(answers).events[0]).toMatchObject({ type: 'jump', via });
  });

  it('treats an entry shorter than minDigits as matching no branch', () => {
    const flow = flowOf(gather({ minDigits: 2, branches: { '12': 'x' }, default: 'short' }), say({ label: 'short' }), say({ label: 'x' }));
    expect(commandOf(run(flow, { kind: 'gathered', digits: '1', reason: 'finish_key' }))?.step.label).toBe('short');
    expect(commandOf(run(flow, { kind: 'gathered', digits: '12', reason: 'finish_key' }))?.step.label).toBe('x');
  });

  it('follows next when there is no default or onTimeout', () => {
    const flow = flowOf(gather({ next: 'n', branches: { '1': 'x' } }), say({ label: 'x' }), say({ label: 'n' }));
    expect(commandOf(run(flow, { kind: 'gathered', digits: '9', reason: 'max_digits' }))?.step.label).toBe('n');
    expect(commandOf(run(flow, { kind: 'gathered', digits: '', reason: 'timeout' }))?.step.label).toBe('n');
  });

  it('records the digits for later fetches', () => {
    const flow = flowOf(gather(), redirect());
    const fetch = commandOf(run(flow, { kind: 'gathered', digits: '42', reason: 'finish_key' }));
    expect(fetch).toMatchObject({ kind: 'fetch', body: { digits: '42', gather_reason: 'finish_key', call_id: 'call_1' } });
  });
});

describe('interpreter: actionHook', () => {
  const hooked = flowOf(gather({ label: 'pin', numDigits: 4, actionHook: 'https://example.com/pin' }), say({ text: 'Hook failed.' }));

  it('POSTs the digits and runs the verbs it returns in place of the rest', () => {
    const answers = run(
      hooked,
      { kind: 'gathered', digits: '1234', reason: 'num_digits' },
      { kind: 'fetched', ok: true, verbs: [say({ text: 'PIN accepted.' })] },
      DONE,
    );
    expect(answers[1].command).toEqual({
      kind: 'fetch',
      step: { document: 0, index: 0, label: 'pin', verb: 'gather' },
      purpose: 'actionHook',
      url: 'https://example.com/pin',
      method: 'POST',
      timeoutMs: 5000,
      body: {
        call_id: 'call_1',
        digits: '1234',
        gather_reason: 'num_digits',
        purpose: 'actionHook',
        flow_document: 0,
        step_index: 0,
        step_label: 'pin',
      },
    });
    expect(answers[2].command).toMatchObject({ kind: 'say', text: 'PIN accepted.', step: { document: 1, index: 0 } });
    expect(answers[2].events).toEqual([
      { type: 'flow_replaced', from: answers[1].command?.step, purpose: 'actionHook', document: 1, steps: 1 },
    ]);
    expect(answers[3].command).toMatchObject({ kind: 'hangup', cause: 'end_of_flow', reason: 'normal', step: { document: 1, index: 0 } });
  });

  it('posts a timeout too', () => {
    const answers = run(hooked, { kind: 'gathered', digits: '', reason: 'timeout' });
    expect(commandOf(answers)).toMatchObject({ kind: 'fetch', body: { digits: '', gather_reason: 'timeout' } });
  });

  it.each([
    ['fails', { kind: 'fetched', ok: false }, 'request_failed'],
    ['returns invalid verbs', { kind: 'fetched', ok: true, verbs: [{ verb: 'sya' }] }, 'invalid_verbs'],
  ] as const)('continues after the gather when the hook %s', (_, fetched, reason) => {
    const answers = run(hooked, { kind: 'gathered', digits: '1234', reason: 'num_digits' }, fetched);
    expect(commandOf(answers)).toMatchObject({ kind: 'say', text: 'Hook failed.', step: { document: 0, index: 1 } });
    expect(last(answers).events[0]).toMatchObject({ type: 'fetch_failed', purpose: 'actionHook', reason });
  });

  it('hangs up when a failed hook has nothing after it', () => {
    const flow = flowOf(say(), gather({ actionHook: 'https://example.com/pin' }));
    const answers = run(flow, DONE, { kind: 'gathered', digits: '1', reason: 'finish_key' }, { kind: 'fetched', ok: false });
    expect(commandOf(answers)).toMatchObject({ kind: 'hangup', cause: 'end_of_flow', step: { index: 1 } });
  });
});

describe('interpreter: redirect', () => {
  it('fetches with the options and replaces the rest of the flow', () => {
    const flow = flowOf(say({ label: 'menu' }), redirect({ url: 'https://example.com/more', method: 'GET', timeout: 10 }));
    const answers = run(
      flow,
      DONE,
      { kind: 'fetched', ok: true, verbs: { version: 1, steps: [say({ label: 'menu', text: 'New menu' }), pause({ next: 'menu' })] } },
      DONE,
      DONE,
    );
    expect(answers[1].command).toEqual({
      kind: 'fetch',
      step: { document: 0, index: 1, label: null, verb: 'redirect' },
      purpose: 'redirect',
      url: 'https://example.com/more',
      method: 'GET',
      timeoutMs: 10_000,
      body: { call_id: 'call_1', purpose: 'redirect', flow_document: 0, step_index: 1, step_label: null },
    });
    // Labels are scoped to the returned document: `menu` is its step 0, not the original's.
    expect(answers.slice(2).map((a) => brief(a.command))).toEqual([
      { kind: 'say', index: 0, label: 'menu', document: 1 },
      { kind: 'pause', index: 1, label: null, document: 1 },
      { kind: 'say', index: 0, label: 'menu', document: 1 },
    ]);
    expect(answers[2].state.flow.steps).toHaveLength(2);
  });

  it.each([
    ['fails', { kind: 'fetched', ok: false }, 'request_failed'],
    ['returns an unknown verb', { kind: 'fetched', ok: true, verbs: [{ verb: 'sya', text: 'x' }] }, 'invalid_verbs'],
    ['returns an empty array', { kind: 'fetched', ok: true, verbs: [] }, 'invalid_verbs'],
    ['returns a string', { kind: 'fetched', ok: true, verbs: 'oops' }, 'invalid_verbs'],
    ['returns nothing', { kind: 'fetched', ok: true }, 'invalid_verbs'],
  ] as const)('goes to the fallback when the URL %s', (_, fetched, reason) => {
    const flow = flowOf(redirect({ fallback: 'sorry' }), say({ label: 'sorry' }));
    const answers = run(flow, fetched);
    expect(brief(commandOf(answers))).toEqual({ kind: 'say', index: 1, label: 'sorry', document: 0 });
    expect(last(answers).events).toEqual([
      expect.objectContaining({ type: 'fetch_failed', purpose: 'redirect', reason }),
      expect.objectContaining({ type: 'jump', to: 1, via: 'fallback' }),
    ]);
  });

  it('reports why returned verbs were rejected', () => {
    const flow = flowOf(redirect({ fallback: 'sorry' }), say({ label: 'sorry' }));
    const [event] = last(run(flow, { kind: 'fetched', ok: true, verbs: [{ verb: 'sya', text: 'x' }] })).events;
    expect(event).toMatchObject({ errors: [{ path: '/steps/0/verb', code: 'unknown_verb' }] });
  });

  it('hangs up without a fallback', () => {
    const answers = run(flowOf(redirect()), { kind: 'fetched', ok: false });
    expect(commandOf(answers)).toEqual({
      kind: 'hangup',
      step: { document: 0, index: 0, label: null, verb: 'redirect' },
      reason: 'normal',
      cause: 'fetch_failed',
    });
    expect(last(answers).state.ended).toBe('fetch_failed');
  });

  it('numbers documents across several replacements', () => {
    const answers = run(
      flowOf(redirect()),
      { kind: 'fetched', ok: true, verbs: [redirect()] },
      { kind: 'fetched', ok: true, verbs: [say()] },
    );
    expect(commandOf(answers)?.step.document).toBe(2);
    expect(answers[1].command).toMatchObject({ kind: 'fetch', body: { flow_document: 1 } });
  });
});

describe('interpreter: dial', () => {
  const flow = flowOf(
    dial({ target: 'PJSIP/alice', callerId: '+14155550100', timeLimit: 60, onBusy: 'busy', onNoAnswer: 'noanswer', onFailed: 'failed' }),
    say({ label: 'after' }),
    say({ label: 'busy' }),
    say({ label: 'noanswer' }),
    say({ label: 'failed' }),
  );

  it('issues the dial with ms timers', () => {
    expect(start(flow).command).toEqual({
      kind: 'dial',
      step: { document: 0, index: 0, label: null, verb: 'dial' },
      target: 'PJSIP/alice',
      callerId: '+14155550100',
      timeoutMs: 30_000,
      timeLimitMs: 60_000,
    });
    expect(start(flowOf(dial({ timeout: 5 }))).command).toMatchObject({ callerId: null, timeoutMs: 5000, timeLimitMs: null });
  });

  it.each([
    ['completed', 'after', 'sequence'],
    ['canceled', 'after', 'sequence'],
    ['busy', 'busy', 'onBusy'],
    ['no-answer', 'noanswer', 'onNoAnswer'],
    ['failed', 'failed', 'onFailed'],
  ] as const)('branches on %s', (status, label, via) => {
    const answers = run(flow, { kind: 'dialed', status, durationS: 3 });
    expect(commandOf(answers)?.step.label).toBe(label);
    expect(last(answers).events[0]).toMatchObject({ via });
    expect(last(answers).state.vars).toEqual({ dial_call_status: status, dial_call_duration: 3 });
  });

  it('continues when the status has no branch', () => {
    const plain = flowOf(dial({ onFailed: 'f' }), say({ label: 'n' }), say({ label: 'f' }));
    expect(commandOf(run(plain, { kind: 'dialed', status: 'busy' }))?.step.label).toBe('n');
    expect(last(run(plain, { kind: 'dialed', status: 'busy' })).state.vars.dial_call_duration).toBeNull();
  });

  it('hangs up normally after a completed dial that ends the flow', () => {
    expect(commandOf(run(flowOf(dial()), { kind: 'dialed', status: 'completed', durationS: 60 }))).toMatchObject({
      kind: 'hangup',
      cause: 'end_of_flow',
    });
  });
});

describe('interpreter: record, play, pause, hangup', () => {
  it('records with defaults and keeps the result in the variables', () => {
    const answers = run(flowOf(record(), redirect()), { kind: 'recorded', recordingId: 'rec_9', durationS: 4.5 });
    expect(answers[0].command).toMatchObject({ kind: 'record', maxLengthMs: 60_000, finishOnKey: '#', beep: true });
    expect(commandOf(answers)).toMatchObject({ kind: 'fetch', body: { recording_id: 'rec_9', recording_duration: 4.5 } });
  });

  it('plays and pauses', () => {
    const answers = run(flowOf(play({ url: 'https://cdn.example.com/a.wav', loop: 3 }), pause({ length: 2 })), DONE);
    expect(answers[0].command).toMatchObject({ kind: 'play', url: 'https://cdn.example.com/a.wav', loop: 3 });
    expect(answers[1].command).toMatchObject({ kind: 'pause', ms: 2000 });
  });

  it.each([
    [undefined, 'normal'],
    ['normal', 'normal'],
    ['busy', 'busy'],
    ['rejected', 'rejected'],
    ['no-answer', 'no_answer'],
    ['congestion', 'congestion'],
  ])('maps hangup reason %s to ARI %s', (reason, ari) => {
    expect(start(flowOf(hangup(reason === undefined ? {} : { reason }))).command).toMatchObject({
      kind: 'hangup',
      reason: ari,
      cause: 'verb',
    });
  });

  it('hangs up normally when the flow runs off its end', () => {
    const answers = run(flowOf(say()), DONE);
    expect(commandOf(answers)).toEqual({
      kind: 'hangup',
      step: { document: 0, index: 0, label: null, verb: 'say' },
      reason: 'normal',
      cause: 'end_of_flow',
    });
    expect(last(answers).events).toEqual([
      { type: 'jump', from: { document: 0, index: 0, label: null, verb: 'say' }, to: 'end', via: 'sequence' },
      { type: 'ended', cause: 'end_of_flow' },
    ]);
  });
});

describe('interpreter: far-end hangup', () => {
  it.each([
    ['a say', [] as StepResult[]],
    ['a gather', [DONE]],
    ['a record', [DONE, { kind: 'gathered', digits: '1', reason: 'num_digits' }, DONE] as StepResult[]],
  ])('stops the flow during %s: no further command', (_, before) => {
    const answers = run(SAMPLE_FLOW, ...before, { kind: 'hungup' });
    expect(commandOf(answers)).toBeNull();
    expect(last(answers).state).toMatchObject({ ended: 'far_end_hangup', awaiting: null });
    expect(last(answers).events).toEqual([{ type: 'ended', cause: 'far_end_hangup' }]);
  });

  it('refuses other results afterwards but accepts a repeated hangup', () => {
    const { state } = last(run(SAMPLE_FLOW, { kind: 'hungup' }));
    expect(() => resume(state, DONE)).toThrow(expect.objectContaining({ code: 'flow_ended' }));
    expect(resume(state, { kind: 'hungup' })).toEqual({ state, command: null, events: [] });
  });

  it('accepts the hangup event that follows its own hangup command', () => {
    const { state } = start(flowOf(hangup()));
    expect(resume(state, { kind: 'hungup' }).command).toBeNull();
    expect(() => resume(state, DONE)).toThrow(FlowRuntimeError);
  });
});

describe('interpreter: command budget', () => {
  const loop = flowOf(say({ label: 'again', next: 'again' }));

  it('hangs up with cause step_budget once maxCommands commands were issued', () => {
    let answer = start(loop, { maxCommands: 3 });
    const kinds = [answer.command?.kind];
    for (let i = 0; i < 3; i += 1) {
      answer = resume(answer.state, DONE);
      kinds.push(answer.command?.kind);
    }
    expect(kinds).toEqual(['say', 'say', 'say', 'hangup']);
    expect(answer.command).toMatchObject({ kind: 'hangup', cause: 'step_budget', reason: 'normal', step: { index: 0, label: 'again' } });
    expect(answer.state.ended).toBe('step_budget');
  });

  it('defaults to 1000 commands per call, fetches included', () => {
    const flow = flowOf(redirect({ label: 'top', fallback: 'top' }));
    let answer = start(flow);
    let issued = 1;
    while (answer.command?.kind === 'fetch' && issued < 5000) {
      answer = resume(answer.state, { kind: 'fetched', ok: false });
      issued += 1;
    }
    expect(issued).toBe(1001);
    expect(answer.command).toMatchObject({ kind: 'hangup', cause: 'step_budget' });
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects maxCommands %s', (maxCommands) => {
    expect(() => start(loop, { maxCommands })).toThrow(expect.objectContaining({ code: 'bad_start_options' }));
  });
});

describe('interpreter: state', () => {
  const script: StepResult[] = [
    DONE,
    { kind: 'gathered', digits: '5', reason: 'num_digits' },
    DONE,
    { kind: 'gathered', digits: '1', reason: 'num_digits' },
    DONE,
    { kind: 'recorded', recordingId: 'rec_2', durationS: 30 },
    DONE,
  ];

  it('resumes from a JSON copy with the same answer at every step', () => {
    let answer = start(SAMPLE_FLOW, { context: { call_id: 'call_7', from: '+14155550100', answered: true, n: null } });
    for (const result of script) {
      const revived = JSON.parse(JSON.stringify(answer.state)) as CallState;
      expect(revived).toEqual(answer.state);
      const direct = resume(answer.state, result);
      expect(resume(revived, result)).toEqual(direct);
      answer = direct;
    }
    expect(answer.command).toMatchObject({ kind: 'hangup', cause: 'verb' });
  });

  it('rebuilds the outstanding command from a persisted state', () => {
    const answers = run(SAMPLE_FLOW, ...script);
    for (const answer of answers) expect(currentCommand(JSON.parse(JSON.stringify(answer.state)) as CallState)).toEqual(answer.command);
  });

  it.each([
    [
      'an actionHook fetch',
      flowOf(gather({ actionHook: 'https://example.com/h' }), say()),
      [{ kind: 'gathered', digits: '5', reason: 'finish_key' }],
    ],
    ['a redirect fetch after a dial', flowOf(dial(), redirect()), [{ kind: 'dialed', status: 'busy' }]],
    ['the hangup of a failed redirect', flowOf(redirect()), [{ kind: 'fetched', ok: false }]],
    ['the hangup at the end of the flow', flowOf(say()), [DONE]],
    ['the hangup of the budget', flowOf(say({ label: 'a', next: 'a' })), [DONE, DONE, DONE]],
    ['a hangup verb with a reason', flowOf(hangup({ reason: 'busy' })), []],
  ] as Array<[string, Flow, StepResult[]]>)('rebuilds %s', (_, flow, results) => {
    let answer = start(flow, { maxCommands: 3, context: { call_id: 'c' } });
    for (const result of results) answer = resume(answer.state, result);
    expect(answer.command).not.toBeNull();
    expect(currentCommand(answer.state)).toEqual(answer.command);
  });

  it('has no command after a far-end hangup', () => {
    expect(currentCommand(resume(start(SAMPLE_FLOW).state, { kind: 'hungup' }).state)).toBeNull();
  });

  it('does not modify the state it is given', () => {
    const first = start(SAMPLE_FLOW);
    const before = JSON.stringify(first.state);
    resume(first.state, DONE);
    expect(JSON.stringify(first.state)).toBe(before);
  });

  it('does not share the flow with the caller', () => {
    const flow = structuredClone(SAMPLE_FLOW) as Flow;
    const { state } = start(flow);
    (flow.steps[0] as { text: string }).text = 'changed';
    expect(state.flow.steps[0]).toMatchObject({ text: 'Welcome to the gateway demo.' });
  });
});

describe('interpreter: misuse', () => {
  it('refuses an invalid flow with its errors', () => {
    const bad = { version: 1, steps: [{ verb: 'sya' }] } as unknown as Flow;
    expect(() => start(bad)).toThrow(
      expect.objectContaining({ code: 'invalid_flow', errors: [expect.objectContaining({ path: '/steps/0/verb' })] }),
    );
  });

  it('refuses a context with non-scalar values', () => {
    expect(() => start(SAMPLE_FLOW, { context: { nested: {} as unknown as string } })).toThrow(
      expect.objectContaining({ code: 'bad_start_options' }),
    );
  });

  it('refuses a result that does not answer the outstanding command', () => {
    const { state } = start(SAMPLE_FLOW);
    expect(() => resume(state, { kind: 'dialed', status: 'completed' })).toThrow(expect.objectContaining({ code: 'unexpected_result' }));
  });

  it.each([
    ['digits that are not DTMF', { kind: 'gathered', digits: '1x', reason: 'finish_key' }],
    ['an unknown gather reason', { kind: 'gathered', digits: '1', reason: 'bored' }],
    ['an unknown dial status', { kind: 'dialed', status: 'ringing' }],
    ['a negative recording duration', { kind: 'recorded', recordingId: 'r', durationS: -1 }],
    ['an empty recording id', { kind: 'recorded', recordingId: '', durationS: 1 }],
    ['fetched without ok', { kind: 'fetched' }],
    ['an unknown kind', { kind: 'teleported' }],
  ])('refuses %s', (_, result) => {
    const { state } = start(SAMPLE_FLOW);
    expect(() => resume(state, result as unknown as StepResult)).toThrow(expect.objectContaining({ code: 'bad_result' }));
  });

  it('refuses something that is not a call state', () => {
    expect(() => resume({ format: 2 } as unknown as CallState, DONE)).toThrow(expect.objectContaining({ code: 'bad_state' }));
    const { state } = start(SAMPLE_FLOW);
    expect(() => resume({ ...state, pc: 99 }, DONE)).toThrow(expect.objectContaining({ code: 'bad_state' }));
  });

  it('uses the library limits for defaults', () => {
    expect(LIMITS.gather.maxDigitsDefault).toBe(20);
  });
});
