import { SAMPLE_FLOW, validateFlow } from './index';
import { dial, doc, gather, hangup, pause, play, problems, record, redirect, say } from './testing/builders';
import type { RawStep } from './testing/builders';

/** One document with the step under test first, so its path is /steps/0. */
const one = (step: RawStep): Record<string, unknown> => doc(step);
/** A gather that is valid on its own (has a following step). */
const menu = (extra: RawStep = {}): Record<string, unknown> => doc(gather({ label: 'menu', ...extra }), say({ label: 'next' }));

describe('validateFlow: the envelope', () => {
  it.each([
    ['a string', 'flow'],
    ['null', null],
    ['an array', [say()]],
    ['a number', 1],
  ])('rejects %s as the document with bad_type at ""', (_, input) => {
    expect(problems(input)).toEqual([{ path: '', code: 'bad_type' }]);
  });

  it.each([
    ['missing', { steps: [say()] }],
    ['2', { version: 2, steps: [say()] }],
    ['"1"', { version: '1', steps: [say()] }],
    ['0', { version: 0, steps: [] }],
  ])('rejects version %s with bad_version at /version, and nothing else', (_, input) => {
    expect(problems(input)).toEqual([{ path: '/version', code: 'bad_version' }]);
  });

  it('names the supported version in the message', () => {
    expect(validateFlow({ version: 2, steps: [] })).toEqual({
      ok: false,
      errors: [{ path: '/version', code: 'bad_version', message: 'unsupported DSL version 2; the only version is 1' }],
    });
  });

  it.each([
    ['missing steps', { version: 1 }, '/steps', 'missing_option'],
    ['steps not an array', { version: 1, steps: { 0: say() } }, '/steps', 'bad_type'],
    ['no steps', { version: 1, steps: [] }, '/steps', 'out_of_range'],
    ['501 steps', { version: 1, steps: Array.from({ length: 501 }, () => say()) }, '/steps', 'out_of_range'],
    ['an unknown field', { version: 1, steps: [say()], name: 'x' }, '/name', 'unknown_option'],
  ])('rejects %s', (_, input, path, code) => {
    expect(problems(input)).toEqual([{ path, code }]);
  });
});

describe('validateFlow: verbs', () => {
  it('reports an unknown verb once, at the verb, without oneOf noise', () => {
    expect(validateFlow(doc({ verb: 'sya', text: 'Hi' }))).toEqual({
      ok: false,
      errors: [
        {
          path: '/steps/0/verb',
          code: 'unknown_verb',
          message: 'unknown verb "sya"; verbs are say, play, gather, dial, record, pause, hangup, redirect',
        },
      ],
    });
  });

  it.each([
    ['a missing verb', { text: 'Hi' }, '/steps/0/verb', 'missing_option'],
    ['a numeric verb', { verb: 3 }, '/steps/0/verb', 'bad_type'],
    ['an upper-case verb', { verb: 'Say', text: 'Hi' }, '/steps/0/verb', 'unknown_verb'],
    ['a step that is a string', 'say', '/steps/0', 'bad_type'],
    ['a step that is null', null, '/steps/0', 'bad_type'],
    ['an unknown prompt verb', gather({ prompt: { verb: 'dial', target: '+14155550100' } }), '/steps/0/prompt/verb', 'unknown_verb'],
  ])('rejects %s', (_, step, path, code) => {
    expect(problems(doc(step as RawStep, say()))).toEqual([{ path, code }]);
  });

  it('reports errors in several steps in document order', () => {
    expect(problems(doc(say({ loop: 0 }), { verb: 'nope' }, dial({ target: 'x' })))).toEqual([
      { path: '/steps/0/loop', code: 'out_of_range' },
      { path: '/steps/1/verb', code: 'unknown_verb' },
      { path: '/steps/2/target', code: 'bad_format' },
    ]);
  });
});

describe('validateFlow: unknown options', () => {
  it.each([
    ['say', say({ speed: 2 }), '/steps/0/speed'],
    ['play', play({ volume: 3 }), '/steps/0/volume'],
    ['gather', gather({ speechTimeout: 3 }), '/steps/0/speechTimeout'],
    ['dial', dial({ record: true }), '/steps/0/record'],
    ['record', record({ transcribe: true }), '/steps/0/transcribe'],
    ['pause', pause({ ms: 100 }), '/steps/0/ms'],
    ['hangup', hangup({ headers: {} }), '/steps/0/headers'],
    ['redirect', redirect({ body: 'x' }), '/steps/0/body'],
    ['hangup (next)', hangup({ next: 'a' }), '/steps/0/next'],
    ['redirect (next)', redirect({ next: 'a' }), '/steps/0/next'],
    ['a gather prompt (label)', gather({ prompt: { verb: 'say', text: 'Hi', label: 'p' } }), '/steps/0/prompt/label'],
    ['a gather prompt (next)', gather({ prompt: { verb: 'play', url: 'sound:beep', next: 'p' } }), '/steps/0/prompt/next'],
  ])('rejects an unknown option of %s', (_, step, path) => {
    expect(problems(doc(step, say({ label: 'a' })))).toEqual([{ path, code: 'unknown_option' }]);
  });

  it('names the option and the verb', () => {
    const result = validateFlow(one(say({ speed: 2 })));
    expect(result).toEqual({
      ok: false,
      errors: [{ path: '/steps/0/speed', code: 'unknown_option', message: 'unknown option "speed" for verb "say"' }],
    });
  });

  it('explains why hangup takes no next', () => {
    const result = validateFlow(doc(hangup({ next: 'a' }), say({ label: 'a' })));
    expect(!result.ok && result.errors[0].message).toBe('"next" is not allowed on hangup: the call ends there');
  });
});

describe('validateFlow: missing required options', () => {
  it.each([
    ['say.text', { verb: 'say' }, '/steps/0/text'],
    ['play.url', { verb: 'play' }, '/steps/0/url'],
    ['dial.target', { verb: 'dial' }, '/steps/0/target'],
    ['pause.length', { verb: 'pause' }, '/steps/0/length'],
    ['redirect.url', { verb: 'redirect' }, '/steps/0/url'],
    ['prompt say.text', gather({ prompt: { verb: 'say' } }), '/steps/0/prompt/text'],
    ['prompt play.url', gather({ prompt: { verb: 'play' } }), '/steps/0/prompt/url'],
  ])('rejects a missing %s', (_, step, path) => {
    expect(problems(doc(step, say()))).toEqual([{ path, code: 'missing_option' }]);
  });

  it('says which verb requires what', () => {
    const result = validateFlow(one({ verb: 'dial' }));
    expect(!result.ok && result.errors[0].message).toBe('verb "dial" requires "target"');
  });
});

describe('validateFlow: bad types', () => {
  it.each([
    ['say.text a number', say({ text: 42 }), '/steps/0/text'],
    ['say.loop a string', say({ loop: '2' }), '/steps/0/loop'],
    ['say.loop a fraction', say({ loop: 1.5 }), '/steps/0/loop'],
    ['pause.length a string', pause({ length: '5' }), '/steps/0/length'],
    ['gather.timeout a string', gather({ timeout: '5' }), '/steps/0/timeout'],
    ['gather.numDigits a fraction', gather({ numDigits: 2.5 }), '/steps/0/numDigits'],
    ['gather.branches an array', gather({ branches: ['a'] }), '/steps/0/branches'],
    ['gather.input a string', gather({ input: 'digits' }), '/steps/0/input'],
    ['gather.prompt a string', gather({ prompt: 'Press 1' }), '/steps/0/prompt'],
    ['a branch label a number', gather({ branches: { '1': 7 } }), '/steps/0/branches/1'],
    ['record.beep a string', record({ beep: 'yes' }), '/steps/0/beep'],
    ['dial.timeLimit null', dial({ timeLimit: null }), '/steps/0/timeLimit'],
    ['label a number', say({ label: 5 }), '/steps/0/label'],
    ['next a boolean', say({ next: true }), '/steps/0/next'],
  ])('rejects %s', (_, step, path) => {
    expect(problems(doc(step, say()))).toEqual([{ path, code: 'bad_type' }]);
  });

  it('says what was expected and what came', () => {
    const result = validateFlow(one(say({ loop: '2' })));
    expect(!result.ok && result.errors[0].message).toBe('"loop" must be an integer, not a string');
  });
});

describe('validateFlow: out of range', () => {
  it.each([
    ['empty say.text', say({ text: '' }), '/steps/0/text'],
    ['say.text of 3001 characters', say({ text: 'a'.repeat(3001) }), '/steps/0/text'],
    ['say.loop 0', say({ loop: 0 }), '/steps/0/loop'],
    ['say.loop 11', say({ loop: 11 }), '/steps/0/loop'],
    ['play.loop 0 outside a gather', play({ loop: 0 }), '/steps/0/loop'],
    ['a prompt loop of 11', gather({ prompt: { verb: 'play', url: 'sound:x', loop: 11 } }), '/steps/0/prompt/loop'],
    ['gather.numDigits 0', gather({ numDigits: 0 }), '/steps/0/numDigits'],
    ['gather.numDigits 65', gather({ numDigits: 65 }), '/steps/0/numDigits'],
    ['gather.minDigits 0', gather({ minDigits: 0 }), '/steps/0/minDigits'],
    ['gather.maxDigits 65', gather({ maxDigits: 65 }), '/steps/0/maxDigits'],
    ['gather.timeout 0', gather({ timeout: 0 }), '/steps/0/timeout'],
    ['gather.timeout 121', gather({ timeout: 121 }), '/steps/0/timeout'],
    ['gather.interDigitTimeout 121', gather({ interDigitTimeout: 121 }), '/steps/0/interDigitTimeout'],
    ['gather.input empty', gather({ input: [] }), '/steps/0/input'],
    ['gather.minDigits above maxDigits', gather({ minDigits: 5, maxDigits: 4 }), '/steps/0/minDigits'],
    ['gather.minDigits above the default maxDigits (20)', gather({ minDigits: 21 }), '/steps/0/minDigits'],
    ['dial.timeout 601', dial({ timeout: 601 }), '/steps/0/timeout'],
    ['dial.timeLimit 0', dial({ timeLimit: 0 }), '/steps/0/timeLimit'],
    ['dial.timeLimit 14401', dial({ timeLimit: 14401 }), '/steps/0/timeLimit'],
    ['record.maxLength 0', record({ maxLength: 0 }), '/steps/0/maxLength'],
    ['record.maxLength 3601', record({ maxLength: 3601 }), '/steps/0/maxLength'],
    ['pause.length 0', pause({ length: 0 }), '/steps/0/length'],
    ['pause.length 601', pause({ length: 601 }), '/steps/0/length'],
    ['redirect.timeout 31', redirect({ timeout: 31 }), '/steps/0/timeout'],
    ['a URL of 2049 characters', play({ url: `https://example.com/${'a'.repeat(2029)}` }), '/steps/0/url'],
  ])('rejects %s', (_, step, path) => {
    expect(problems(doc(step, say({ label: 'tail' })))).toEqual([{ path, code: 'out_of_range' }]);
  });

  it('states the bound', () => {
    const result = validateFlow(one(pause({ length: 601 })));
    expect(!result.ok && result.errors[0].message).toBe('"length" must be at most 600');
  });
});

describe('validateFlow: bad values and formats', () => {
  it.each([
    ['gather.finishOnKey "x"', gather({ finishOnKey: 'x' }), '/steps/0/finishOnKey', 'bad_value'],
    ['gather.finishOnKey "##"', gather({ finishOnKey: '##' }), '/steps/0/finishOnKey', 'bad_value'],
    ['record.finishOnKey "1" (ARI terminateOn has no digits)', record({ finishOnKey: '1' }), '/steps/0/finishOnKey', 'bad_value'],
    ['gather.input ["speech"]', gather({ input: ['speech'] }), '/steps/0/input/0', 'bad_value'],
    ['gather.input repeated', gather({ input: ['digits', 'digits'] }), '/steps/0/input', 'bad_value'],
    ['hangup.reason "angry"', hangup({ reason: 'angry' }), '/steps/0/reason', 'bad_value'],
    ['redirect.method "PUT"', redirect({ method: 'PUT' }), '/steps/0/method', 'bad_value'],
    ['an upper-case label', say({ label: 'Menu' }), '/steps/0/label', 'bad_format'],
    ['a label starting with a digit', say({ label: '1menu' }), '/steps/0/label', 'bad_format'],
    ['a label of 65 characters', say({ label: `m${'a'.repeat(64)}` }), '/steps/0/label', 'bad_format'],
    ['a next that is not a label', say({ next: 'Main Menu' }), '/steps/0/next', 'bad_format'],
    ['a voice with a space', say({ voice: 'en us' }), '/steps/0/voice', 'bad_format'],
    ['a dial target that is a bare name', dial({ target: 'alice' }), '/steps/0/target', 'bad_format'],
    ['a dial target that is not E.164', dial({ target: '+0123' }), '/steps/0/target', 'bad_format'],
    ['a dial target of another channel technology', dial({ target: 'Local/100@default' }), '/steps/0/target', 'bad_format'],
    ['an empty PJSIP endpoint', dial({ target: 'PJSIP/' }), '/steps/0/target', 'bad_format'],
    ['a callerId without +', dial({ callerId: '14155550100' }), '/steps/0/callerId', 'bad_format'],
    ['a branch key with letters', gather({ branches: { '1x': 'tail' } }), '/steps/0/branches/1x', 'bad_format'],
    ['an empty branch key', gather({ branches: { '': 'tail' } }), '/steps/0/branches/', 'bad_format'],
    ['a branch label that is not a label', gather({ branches: { '1': 'Tail' } }), '/steps/0/branches/1', 'bad_format'],
  ])('rejects %s', (_, step, path, code) => {
    expect(problems(doc(step, say({ label: 'tail' })))).toEqual([{ path, code }]);
  });
});

describe('validateFlow: URLs must be http(s)', () => {
  it.each([
    ['redirect.url ftp:', redirect({ url: 'ftp://example.com/flow' }), '/steps/0/url'],
    ['redirect.url without a scheme', redirect({ url: 'example.com/flow' }), '/steps/0/url'],
    ['redirect.url file:', redirect({ url: 'file:///etc/passwd' }), '/steps/0/url'],
    ['redirect.url without a host', redirect({ url: 'https://' }), '/steps/0/url'],
    ['redirect.url with a space', redirect({ url: 'https://example.com/a b' }), '/steps/0/url'],
    ['actionHook javascript:', gather({ actionHook: 'javascript:alert(1)' }), '/steps/0/actionHook'],
    ['actionHook ftp:', gather({ actionHook: 'ftp://example.com/hook' }), '/steps/0/actionHook'],
    ['play.url file:', play({ url: 'file:///tmp/a.wav' }), '/steps/0/url'],
    ['play.url with an unknown media scheme', play({ url: 'video:clip' }), '/steps/0/url'],
    ['play.url with an empty media URI', play({ url: 'sound:' }), '/steps/0/url'],
    ['a prompt play.url', gather({ prompt: { verb: 'play', url: 'gopher://x' } }), '/steps/0/prompt/url'],
  ])('rejects %s with bad_url', (_, step, path) => {
    expect(problems(doc(step, say()))).toEqual([{ path, code: 'bad_url' }]);
  });

  it('explains the accepted forms', () => {
    const result = validateFlow(one(redirect({ url: 'ftp://x' })));
    expect(!result.ok && result.errors[0].message).toBe('"url" must be an http:// or https:// URL');
  });
});

describe('validateFlow: conflicting options', () => {
  it.each([
    ['actionHook with branches', { branches: { '1': 'next' } }, '/steps/0/branches'],
    ['actionHook with default', { default: 'next' }, '/steps/0/default'],
    ['actionHook with onTimeout', { onTimeout: 'next' }, '/steps/0/onTimeout'],
  ])('rejects %s', (_, extra, path) => {
    expect(problems(menu({ actionHook: 'https://example.com/hook', ...extra }))).toEqual([{ path, code: 'conflicting_options' }]);
  });

  it.each([
    ['minDigits', '/steps/0/minDigits'],
    ['maxDigits', '/steps/0/maxDigits'],
  ])('rejects numDigits with %s', (field, path) => {
    expect(problems(menu({ numDigits: 2, [field]: 2 }))).toEqual([{ path, code: 'conflicting_options' }]);
  });

  it('names both options', () => {
    const result = validateFlow(menu({ actionHook: 'https://example.com/hook', default: 'next' }));
    expect(!result.ok && result.errors[0].message).toBe('"default" cannot be combined with "actionHook"');
  });
});

describe('validateFlow: labels', () => {
  it('rejects a duplicate label at the second occurrence', () => {
    const result = validateFlow(doc(say({ label: 'a' }), say({ label: 'b' }), say({ label: 'a' })));
    expect(result).toEqual({
      ok: false,
      errors: [{ path: '/steps/2/label', code: 'duplicate_label', message: 'label "a" is already used by step 0' }],
    });
  });

  it.each([
    ['next', doc(say({ next: 'nowhere' }), say()), '/steps/0/next'],
    ['a branch', menu({ branches: { '1': 'nowhere', '2': 'next' } }), '/steps/0/branches/1'],
    ['a branch with * in its key', menu({ branches: { '*9': 'nowhere' } }), '/steps/0/branches/*9'],
    ['default', menu({ default: 'nowhere' }), '/steps/0/default'],
    ['onTimeout', menu({ onTimeout: 'nowhere' }), '/steps/0/onTimeout'],
    ['onBusy', doc(dial({ onBusy: 'nowhere' }), say()), '/steps/0/onBusy'],
    ['onNoAnswer', doc(dial({ onNoAnswer: 'nowhere' }), say()), '/steps/0/onNoAnswer'],
    ['onFailed', doc(dial({ onFailed: 'nowhere' }), say()), '/steps/0/onFailed'],
    ['fallback', doc(redirect({ fallback: 'nowhere' }), say()), '/steps/0/fallback'],
    ['next of record', doc(record({ next: 'nowhere' }), say()), '/steps/0/next'],
  ])('rejects %s naming a missing label, at that field', (_, input, path) => {
    expect(problems(input)).toEqual([{ path, code: 'missing_label' }]);
  });

  it('names the missing label', () => {
    const result = validateFlow(doc(say({ next: 'nowhere' })));
    expect(!result.ok && result.errors[0].message).toBe('no step has label "nowhere"');
  });

  it('does not report unreachable steps while a jump target is missing', () => {
    expect(problems(doc(say({ next: 'tial' }), say({ label: 'skipped' }), say({ label: 'tail' })))).toEqual([
      { path: '/steps/0/next', code: 'missing_label' },
    ]);
  });
});

describe('validateFlow: branches that can never match', () => {
  it.each([
    ['longer than numDigits', { numDigits: 1, branches: { '12': 'next' } }, '/steps/0/branches/12'],
    ['shorter than numDigits', { numDigits: 3, branches: { '12': 'next' } }, '/steps/0/branches/12'],
    ['shorter than minDigits', { minDigits: 2, branches: { '1': 'next' } }, '/steps/0/branches/1'],
    ['longer than maxDigits', { maxDigits: 2, branches: { '123': 'next' } }, '/steps/0/branches/123'],
    ['containing the default finish key #', { branches: { '1#': 'next' } }, '/steps/0/branches/1#'],
    ['containing a custom finish key', { finishOnKey: '*', branches: { '*': 'next' } }, '/steps/0/branches/*'],
  ])('rejects a branch %s', (_, extra, path) => {
    expect(problems(menu(extra))).toEqual([{ path, code: 'unmatchable_branch' }]);
  });

  it('accepts # in a branch key when the finish key is disabled or another key', () => {
    expect(problems(menu({ finishOnKey: '', branches: { '#': 'next' } }))).toEqual([]);
    expect(problems(menu({ finishOnKey: '*', branches: { '1#': 'next' } }))).toEqual([]);
  });
});

describe('validateFlow: gather with no way out', () => {
  const last = (extra: RawStep): Record<string, unknown> => doc(say({ label: 'start' }), gather({ label: 'menu', ...extra }));

  it.each([
    ['no options at all', {}],
    ['empty branches', { branches: {} }],
    ['branches only', { branches: { '1': 'start' } }],
    ['branches and default but no onTimeout', { branches: { '1': 'start' }, default: 'start' }],
    ['branches and onTimeout but no default', { branches: { '1': 'start' }, onTimeout: 'start' }],
  ])('rejects a last gather with %s', (_, extra) => {
    expect(problems(last(extra))).toEqual([{ path: '/steps/1', code: 'gather_no_way_out' }]);
  });

  it('names the outcomes that lead nowhere', () => {
    const result = validateFlow(last({ onTimeout: 'start' }));
    expect(!result.ok && result.errors[0].message).toContain('the digits match no branch ("default")');
    expect(!result.ok && result.errors[0].message).not.toContain('onTimeout');
  });

  it.each([
    ['default and onTimeout', { default: 'start', onTimeout: 'start' }],
    ['next', { next: 'start' }],
    ['an actionHook', { actionHook: 'https://example.com/hook' }],
    ['branches, default and onTimeout', { branches: { '1': 'start' }, default: 'menu', onTimeout: 'start' }],
  ])('accepts a last gather with %s', (_, extra) => {
    expect(problems(last(extra))).toEqual([]);
  });

  it('accepts a gather followed by a step: its unmatched outcomes fall through', () => {
    expect(problems(doc(gather({ branches: { '1': 'x' } }), say(), say({ label: 'x' })))).toEqual([]);
  });
});

describe('validateFlow: unreachable steps', () => {
  it.each([
    ['after a hangup', doc(say(), hangup(), say()), ['/steps/2']],
    ['after a redirect without fallback', doc(redirect(), say()), ['/steps/1']],
    ['after a next jump', doc(say({ next: 'end' }), say(), hangup({ label: 'end' })), ['/steps/1']],
    ['after a loop back (every one of them)', doc(say({ label: 'top' }), pause({ next: 'top' }), say(), say()), ['/steps/2', '/steps/3']],
    ['after a redirect whose fallback points elsewhere', doc(redirect({ fallback: 'end' }), say(), hangup({ label: 'end' })), ['/steps/1']],
    ['after a gather whose outcomes all jump', doc(gather({ label: 'm', default: 'm', onTimeout: 'm' }), say()), ['/steps/1']],
    ['that only an unreachable step jumps to', doc(hangup(), say({ next: 'x' }), say({ label: 'x' })), ['/steps/1', '/steps/2']],
  ])('reports a step %s', (_, input, paths) => {
    expect(problems(input)).toEqual(paths.map((path) => ({ path, code: 'unreachable_step' })));
  });

  it.each([
    ['a redirect fallback', doc(redirect({ fallback: 'sorry' }), say({ label: 'sorry' }))],
    ['a gather actionHook failing', doc(gather({ actionHook: 'https://example.com/hook' }), say())],
    ['a gather falling through', doc(gather({ branches: { '1': 'x' }, default: 'x' }), say(), say({ label: 'x' }))],
    ['dial results', doc(dial({ onBusy: 'busy', next: 'done' }), say({ label: 'busy' }), hangup({ label: 'done' }))],
    ['a label only', doc(say({ next: 'b' }), say({ label: 'a' }), say({ label: 'b', next: 'a' }))],
  ])('treats steps reached through %s as reachable', (_, input) => {
    expect(problems(input)).toEqual([]);
  });
});

describe('validateFlow: valid documents', () => {
  it('accepts SAMPLE_FLOW', () => {
    expect(validateFlow(SAMPLE_FLOW)).toEqual({ ok: true, flow: SAMPLE_FLOW });
  });

  it('accepts every verb with every option', () => {
    const input = doc(
      say({ label: 'start', text: 'Hi', voice: 'en-us', loop: 2 }),
      play({ url: 'https://cdn.example.com/a.wav', loop: 10 }),
      gather({
        label: 'menu',
        input: ['digits'],
        minDigits: 1,
        maxDigits: 4,
        finishOnKey: '*',
        timeout: 10,
        interDigitTimeout: 3,
        prompt: { verb: 'play', url: 'sound:press-1', loop: 0 },
        branches: { '1': 'sales', '42#': 'start', '#': 'menu' },
        default: 'menu',
        onTimeout: 'pin',
      }),
      gather({
        label: 'pin',
        numDigits: 4,
        prompt: { verb: 'say', text: 'PIN?', voice: 'en-gb', loop: 0 },
        actionHook: 'https://example.com/pin',
      }),
      dial({
        label: 'sales',
        target: 'sip:sales@example.com:5060',
        callerId: '+14155550100',
        timeout: 20,
        timeLimit: 3600,
        onBusy: 'bye',
        onNoAnswer: 'bye',
        onFailed: 'end',
        next: 'bye',
      }),
      record({ label: 'vm', maxLength: 3600, finishOnKey: 'any', beep: false }),
      pause({ label: 'bye', length: 600 }),
      redirect({ label: 'more', url: 'http://127.0.0.1:8080/flow?x=1', method: 'GET', timeout: 30, fallback: 'vm' }),
      hangup({ label: 'end', reason: 'busy' }),
    );
    // Reach `more` from the pause so the document has no unreachable step.
    (input.steps as RawStep[])[6].next = 'more';
    expect(problems(input)).toEqual([]);
  });

  it.each([
    '+14155550100',
    '+442071838750',
    'sip:alice@example.com',
    'sips:alice@example.com:5061',
    'sip:example.com',
    'sip:+14155550100@trunk.example.com',
    'PJSIP/alice',
    'PJSIP/1000@trunk',
  ])('accepts dial target %s', (target) => {
    expect(problems(doc(dial({ target })))).toEqual([]);
  });

  it.each([
    'sound:hello-world',
    'recording:msg-1',
    'digits:1234',
    'number:42',
    'characters:abc',
    'tone:ring;tonezone=fr',
    'https://x.example/a.mp3',
  ])('accepts play url %s', (url) => {
    expect(problems(doc(play({ url })))).toEqual([]);
  });

  it.each(['normal', 'busy', 'rejected', 'no-answer', 'congestion'])('accepts hangup reason %s', (reason) => {
    expect(problems(doc(hangup({ reason })))).toEqual([]);
  });

  it('returns a copy: changing the input afterwards does not change the flow', () => {
    const input = doc(say({ text: 'Original' }));
    const result = validateFlow(input);
    (input.steps as RawStep[])[0].text = 'Changed';
    expect(result.ok && result.flow.steps[0]).toEqual({ verb: 'say', text: 'Original' });
  });

  it('reports at most 100 errors', () => {
    const input = { version: 1, steps: Array.from({ length: 300 }, () => ({ verb: 'say', text: '', loop: 0 })) };
    const result = validateFlow(input);
    expect(!result.ok && result.errors).toHaveLength(100);
  });
});
