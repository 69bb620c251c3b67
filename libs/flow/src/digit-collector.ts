import type { GatherCommand, GatheredResult } from './commands';
import { FlowRuntimeError } from './errors';
import { DTMF_KEY } from './limits';

/** The two timers of a gather: to the first key (`timeoutMs`) and between keys (`interDigitTimeoutMs`). */
export type CollectorTimer = 'first' | 'inter';

/**
 * What happened, with the orchestrator's clock reading `atMs` (ms, any monotonic origin,
 * e.g. `performance.now()`): a key press, a timer firing, or the end of the prompt's first
 * pass (for a prompt with `loop` 0: the end of its first repetition; it keeps repeating).
 */
export type CollectorEvent = { digit: string; atMs: number } | { timer: CollectorTimer; atMs: number } | { prompt: 'ended'; atMs: number };

/**
 * What the orchestrator must do after an event:
 * - `arm`: cancel any gather timer and arm this one, firing in `ms`; null = leave timers as they are.
 * - `bargeIn`: true on the first key press only: stop the prompt if it is still playing.
 * - `done`: collection is complete: cancel timers, stop the prompt, and `resume` the
 *   interpreter with this result. Events after that are ignored.
 */
export interface CollectorOutput {
  arm: { timer: CollectorTimer; ms: number } | null;
  bargeIn: boolean;
  done: GatheredResult | null;
}

/** JSON form of a collector (see {@link DigitCollector.toJSON}). */
export interface CollectorSnapshot {
  spec: Pick<GatherCommand, 'numDigits' | 'maxDigits' | 'finishOnKey' | 'timeoutMs' | 'interDigitTimeoutMs'> & { hasPrompt: boolean };
  phase: 'new' | 'prompt' | 'waiting' | 'collecting' | 'done';
  digits: string;
  armed: { timer: CollectorTimer; deadlineMs: number } | null;
}

const KEEP: CollectorOutput = { arm: null, bargeIn: false, done: null };

/**
 * DTMF digit collection for one `gather` command, as a pure state machine: the
 * orchestrator feeds key presses and timer expiries with timestamps, and is told which
 * timer to arm and when collection is complete. No clock or timers of its own.
 *
 * Rules (TwiML/jambonz semantics):
 * - The first-key timer (`timeoutMs`) starts when the prompt's first pass ends, or at
 *   `start` when there is no prompt. A key pressed during the prompt interrupts it (`bargeIn`).
 * - The finish key ends collection with reason `finish_key`; it is not part of the digits
 *   (it may end an empty entry).
 * - Each other key is appended; reaching `numDigits` ends with `num_digits`, else reaching
 *   `maxDigits` ends with `max_digits`; otherwise the inter-digit timer (`interDigitTimeoutMs`) is (re)armed.
 * - The first-key timer expiring ends with `timeout` and no digits; the inter-digit timer
 *   expiring ends with `inter_digit_timeout` and the digits so far.
 * - A timer event for a timer that is not armed, or from before the armed deadline (a
 *   stale timer the orchestrator failed to cancel), is ignored; an event that arrives early
 *   re-arms the same timer for the remaining time.
 * `minDigits` is not enforced here: the interpreter treats a shorter entry as matching no branch.
 */
export class DigitCollector {
  private s: CollectorSnapshot;

  /** @param command the gather command from the interpreter (only its digit and timer fields are used). */
  constructor(command: Pick<GatherCommand, 'prompt' | 'numDigits' | 'maxDigits' | 'finishOnKey' | 'timeoutMs' | 'interDigitTimeoutMs'>) {
    this.s = {
      spec: {
        numDigits: command.numDigits,
        maxDigits: command.numDigits ?? command.maxDigits,
        finishOnKey: command.finishOnKey,
        timeoutMs: command.timeoutMs,
        interDigitTimeoutMs: command.interDigitTimeoutMs,
        hasPrompt: command.prompt !== null,
      },
      phase: 'new',
      digits: '',
      armed: null,
    };
  }

  /** Restores a collector from {@link toJSON} output. */
  static fromJSON(snapshot: CollectorSnapshot): DigitCollector {
    const collector = new DigitCollector({
      prompt: null,
      numDigits: null,
      maxDigits: 1,
      finishOnKey: '',
      timeoutMs: 0,
      interDigitTimeoutMs: 0,
    });
    collector.s = structuredClone(snapshot);
    return collector;
  }

  /** The collector as plain JSON, for persistence. */
  toJSON(): CollectorSnapshot {
    return structuredClone(this.s);
  }

  /** Digits collected so far (never the finish key). */
  get digits(): string {
    return this.s.digits;
  }

  /** True once `done` has been reported. */
  get finished(): boolean {
    return this.s.phase === 'done';
  }

  /**
   * Begins collection when the prompt starts (or at once, without a prompt). Arms the
   * first-key timer unless a prompt is playing. @throws FlowRuntimeError `bad_event` if called twice.
   */
  start(atMs: number): CollectorOutput {
    if (this.s.phase !== 'new') throw new FlowRuntimeError('bad_event', 'the collector has already started');
    checkTime(atMs);
    if (this.s.spec.hasPrompt) {
      this.s.phase = 'prompt';
      return KEEP;
    }
    return this.waitForFirstKey(atMs);
  }

  /** Feeds one event. @throws FlowRuntimeError `bad_event` before `start`, or for a malformed event. */
  feed(event: CollectorEvent): CollectorOutput {
    if (this.s.phase === 'new') throw new FlowRuntimeError('bad_event', 'start the collector before feeding events');
    checkTime(event?.atMs);
    if (this.s.phase === 'done') return KEEP;
    if ('digit' in event) return this.key(event.digit, event.atMs);
    if ('timer' in event) return this.timer(event.timer, event.atMs);
    if ('prompt' in event && event.prompt === 'ended') return this.s.phase === 'prompt' ? this.waitForFirstKey(event.atMs) : KEEP;
    throw new FlowRuntimeError('bad_event', `unknown collector event ${JSON.stringify(event)}`);
  }

  private waitForFirstKey(atMs: number): CollectorOutput {
    this.s.phase = 'waiting';
    return this.arm('first', atMs + this.s.spec.timeoutMs, atMs, false);
  }

  private key(digit: string, atMs: number): CollectorOutput {
    if (typeof digit !== 'string' || !DTMF_KEY.test(digit))
      throw new FlowRuntimeError('bad_event', `not a DTMF key: ${JSON.stringify(digit)}`);
    const bargeIn = this.s.phase === 'prompt' || this.s.phase === 'waiting';
    this.s.phase = 'collecting';
    const { spec } = this.s;
    if (spec.finishOnKey !== '' && digit === spec.finishOnKey) return this.finish('finish_key', bargeIn);
    this.s.digits += digit;
    if (spec.numDigits !== null && this.s.digits.length >= spec.numDigits) return this.finish('num_digits', bargeIn);
    if (this.s.digits.length >= spec.maxDigits) return this.finish('max_digits', bargeIn);
    return this.arm('inter', atMs + spec.interDigitTimeoutMs, atMs, bargeIn);
  }

  private timer(timer: CollectorTimer, atMs: number): CollectorOutput {
    if (timer !== 'first' && timer !== 'inter') throw new FlowRuntimeError('bad_event', `unknown timer ${JSON.stringify(timer)}`);
    const armed = this.s.armed;
    if (armed === null || armed.timer !== timer) return KEEP;
    if (atMs < armed.deadlineMs) return { arm: { timer, ms: armed.deadlineMs - atMs }, bargeIn: false, done: null };
    if (timer === 'first') this.s.digits = '';
    return this.finish(timer === 'first' ? 'timeout' : 'inter_digit_timeout', false);
  }

  private arm(timer: CollectorTimer, deadlineMs: number, atMs: number, bargeIn: boolean): CollectorOutput {
    this.s.armed = { timer, deadlineMs };
    return { arm: { timer, ms: deadlineMs - atMs }, bargeIn, done: null };
  }

  private finish(reason: GatheredResult['reason'], bargeIn: boolean): CollectorOutput {
    this.s.phase = 'done';
    this.s.armed = null;
    return { arm: null, bargeIn, done: { kind: 'gathered', digits: this.s.digits, reason } };
  }
}

function checkTime(atMs: unknown): void {
  if (typeof atMs !== 'number' || !Number.isFinite(atMs))
    throw new FlowRuntimeError('bad_event', '"atMs" must be a finite number of milliseconds');
}
