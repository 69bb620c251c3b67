import type { Command, StepResult } from '@gw/flow';
import { inSpanUnder } from '@gw/tracing';
import { dialHandler } from './dial.handler';
import { fetchHandler } from './fetch.handler';
import { gatherHandler } from './gather.handler';
import { hangupHandler } from './hangup.handler';
import { pauseHandler } from './pause.handler';
import { playHandler } from './play.handler';
import { recordHandler } from './record.handler';
import { sayHandler } from './say.handler';
import type { SessionIo } from './session-io';
import type { VerbDeps, VerbHandler } from './verb-handler';

/** One handler per interpreter command kind; a kind without a handler (or a handler under another kind) fails tsc. */
export type VerbHandlers = { [K in Command['kind']]: VerbHandler<K> };

/** The handlers of the orchestrator: one registration line per command kind. */
export const VERB_HANDLERS: VerbHandlers = {
  say: sayHandler,
  play: playHandler,
  gather: gatherHandler,
  dial: dialHandler,
  record: recordHandler,
  pause: pauseHandler,
  hangup: hangupHandler,
  fetch: fetchHandler,
};

/** Dispatches interpreter commands to their {@link VerbHandler}, with the dependencies every call shares. */
export class VerbRegistry {
  constructor(
    private readonly deps: VerbDeps,
    private readonly handlers: VerbHandlers = VERB_HANDLERS,
  ) {}

  /** The command kinds that have a handler. */
  get kinds(): Array<Command['kind']> {
    return Object.keys(this.handlers) as Array<Command['kind']>;
  }

  /**
   * Carries out `c` for the call `s` and returns the result for the interpreter, in a span
   * `verb <kind>` of the call's trace (the call row's `traceparent`), so its ARI requests are its children.
   * Rejects with an Error when no handler is registered for `c.kind` (e.g. a saved state from a
   * newer interpreter), and with whatever the handler throws.
   */
  async execute(s: SessionIo, c: Command): Promise<StepResult> {
    if (!Object.hasOwn(this.handlers, c.kind))
      throw new Error(`no verb handler for command kind "${c.kind}" (registered: ${this.kinds.join(', ')})`);
    // The mapped type ties each kind to its handler; TypeScript cannot correlate `c` with it, hence the cast.
    const handler = this.handlers[c.kind] as VerbHandler<Command['kind']>;
    const span = { name: `verb ${c.kind}`, attributes: { 'gw.call.id': s.callId, 'gw.verb': c.kind } };
    return inSpanUnder(s.callRow.traceparent, span, () => handler.execute(s, c, this.deps));
  }
}
