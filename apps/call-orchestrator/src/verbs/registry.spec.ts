import { start, VERBS } from '@gw/flow';
import type { Command, HangupCommand, Step, StepResult, Verb } from '@gw/flow';
import { playHandler } from './play.handler';
import { VERB_HANDLERS, VerbHandlers, VerbRegistry } from './registry';
import { FakeCallControl, FakeSession, fakeDeps, stepOf } from './test-support';
import type { VerbHandler } from './verb-handler';

/**
 * The command each DSL verb makes the interpreter issue. Commands are not verbs: `redirect` becomes a
 * `fetch`, and so does the `actionHook` of a gather, dial or record once it has its result; every
 * other verb issues the command of its own name. Typed over `Verb`, so a new DSL verb fails tsc here.
 */
const COMMAND_OF_VERB: { [V in Verb]: Command['kind'] } = {
  say: 'say',
  play: 'play',
  gather: 'gather',
  dial: 'dial',
  record: 'record',
  pause: 'pause',
  hangup: 'hangup',
  redirect: 'fetch',
};

/** A one-step flow per verb, to have the interpreter issue each command. */
const STEP_OF_VERB: { [V in Verb]: Extract<Step, { verb: V }> } = {
  say: { verb: 'say', text: 'Hello' },
  play: { verb: 'play', url: 'sound:hello-world' },
  gather: { verb: 'gather', actionHook: 'https://example.com/digits' },
  dial: { verb: 'dial', target: '+15550003333' },
  record: { verb: 'record' },
  pause: { verb: 'pause', length: 1 },
  hangup: { verb: 'hangup' },
  redirect: { verb: 'redirect', url: 'https://example.com/next' },
};

describe('verb registry', () => {
  it('has exactly one handler per command kind the interpreter issues', () => {
    const issued = VERBS.map((verb) => start({ version: 1, steps: [STEP_OF_VERB[verb]] }).command?.kind);
    expect(issued).toEqual(VERBS.map((verb) => COMMAND_OF_VERB[verb]));

    const registry = new VerbRegistry(fakeDeps(new FakeCallControl()).deps);
    expect([...registry.kinds].sort()).toEqual([...new Set(issued)].sort());
  });

  it('registers each handler under its own kind', () => {
    for (const [kind, handler] of Object.entries(VERB_HANDLERS)) expect(handler.kind).toBe(kind);
  });

  it('fails to compile without a handler for a kind, or with a handler of another kind', () => {
    const { say: _say, ...withoutSay } = VERB_HANDLERS;
    // @ts-expect-error `say` has no handler
    const incomplete: VerbHandlers = withoutSay;
    // @ts-expect-error a play handler cannot be registered for `say`
    const mismatched: VerbHandlers = { ...VERB_HANDLERS, say: playHandler };
    expect(Object.keys(incomplete)).not.toContain('say');
    expect(mismatched.say.kind).toBe('play');
  });

  it('dispatches a command to the handler of its kind, with the shared dependencies', async () => {
    const { deps } = fakeDeps(new FakeCallControl());
    const seen: Array<[FakeSession, HangupCommand, typeof deps]> = [];
    const hangup: VerbHandler<'hangup'> = {
      kind: 'hangup',
      execute: async (s, c, d): Promise<StepResult> => {
        seen.push([s as FakeSession, c, d]);
        return { kind: 'hungup' };
      },
    };
    const registry = new VerbRegistry(deps, { ...VERB_HANDLERS, hangup });
    const s = new FakeSession();
    const c: HangupCommand = { kind: 'hangup', step: stepOf('hangup'), reason: 'normal', cause: 'verb' };

    await expect(registry.execute(s, c)).resolves.toEqual({ kind: 'hungup' });
    expect(seen).toEqual([[s, c, deps]]);
  });

  it('rejects a command kind that has no handler', async () => {
    const registry = new VerbRegistry(fakeDeps(new FakeCallControl()).deps);
    const unknown = { kind: 'transfer', step: stepOf('dial') } as unknown as Command;
    await expect(registry.execute(new FakeSession(), unknown)).rejects.toThrow('no verb handler for command kind "transfer"');
  });
});
