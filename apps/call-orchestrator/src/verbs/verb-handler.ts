import type { Dispatcher } from 'undici';
import type { Command, StepResult } from '@gw/flow';
import type { RecordingStore } from '@gw/recordings';
import type { CallControl } from '../ari/call-control';
import type { CallStore } from '../call-store';
import type { TtsEngine } from '../media/tts';
import type { SessionIo } from './session-io';

/** The Postgres operations verbs need: storing a recording's row, reading a project's webhook secret and dial allowlist. */
export type VerbStore = Pick<CallStore, 'addRecording' | 'webhookSecret' | 'dialAllowlist'>;

/** What the verb handlers share across calls; per-call state lives on the session ({@link SessionIo}). */
export interface VerbDeps {
  /** ARI operations (Asterisk ARI channels, bridges, playbacks, recordings resources). */
  control: CallControl;
  store: VerbStore;
  tts: TtsEngine;
  recordings: RecordingStore;
  /** Voice for a `say` without one. */
  defaultVoice: string;
  /** The ARI endpoint that dials `target` (E.164 number, SIP URI or `PJSIP/` endpoint). */
  trunkEndpoint: (target: string) => string;
  /** Wall clock, epoch ms (`Date.now` in production). */
  now: () => number;
  /** HTTP to project URLs (`fetch`): an outboundDispatcher, public addresses only, answers up to FETCH_MAX_RESPONSE_BYTES. */
  http: Dispatcher;
}

/** The result of every verb that ends because the call hung up. */
export const HUNGUP_RESULT: StepResult = { kind: 'hungup' };

/**
 * Carries out one kind of interpreter command for one call and returns the result the interpreter
 * resumes with (`{ kind: 'hungup' }` when the call hung up meanwhile). Handlers are stateless:
 * anything per call lives on the session.
 */
export interface VerbHandler<K extends Command['kind']> {
  readonly kind: K;
  /** @throws the ARI client's errors the verb does not handle itself; the session then ends the flow and hangs up. */
  execute(s: SessionIo, c: Extract<Command, { kind: K }>, deps: VerbDeps): Promise<StepResult>;
}
