import type { TimelineEntry } from '@gw/calls';
import type { CallEntity } from '@gw/database';
import type { AriEvent } from '../ari/ari-events';

/** Resolved instead of an event when the call's main channel hung up. */
export const HUNGUP = Symbol('hungup');

/**
 * The parts of a call session the verb handlers use: the call's identity, its ARI events, and the
 * per-call verb state (dial leg numbering, the playback being waited on, when the command started).
 * Implemented by `CallSession`; tests use a fake.
 */
export interface SessionIo {
  readonly callId: string;
  /** The call's main ARI channel (Asterisk ARI `channels` resource id). */
  readonly channelId: string;
  readonly projectId: string;
  readonly from: string;
  readonly isHungUp: boolean;
  readonly callRow: CallEntity;
  /**
   * When the current command was first started, epoch ms, or null when it starts now. Set for a call
   * resumed after a restart, so a timed verb (pause) only waits what is left.
   */
  readonly commandStartedAt: number | null;
  /** The say/play playback the call is waiting on, if any (re-checked after an ARI reconnect, when events may have been lost). */
  readonly currentPlayback: string | null;
  setCurrentPlayback(playbackId: string | null): void;
  /** The next dial leg number of this call, from 1: legs are `<callId>.leg<n>`, their bridges `<callId>.br<n>`. */
  nextLegIndex(): number;
  /**
   * Resolves with the first ARI event of the call's channels that `match`es, HUNGUP when the main
   * channel hangs up (at once if it already has), or 'timeout' after `timeoutMs` (ms; none when omitted).
   */
  waitFor(match: (e: AriEvent) => boolean, timeoutMs?: number): Promise<AriEvent | typeof HUNGUP | 'timeout'>;
  /** Sends each DTMF key of the main channel to `sink` (null: stop). */
  setDtmfSink(sink: ((digit: string) => void) | null): void;
  /** Calls `listener` when the main channel hangs up (at once if it already has); returns the unsubscribe. */
  onHangup(listener: () => void): () => void;
  /** Notes that a result arrived now (the start of the scheduling latency of the next ARI request). */
  markResult(): void;
  /** Reports the time since the last result and returns it (ms), just before an ARI request of `verb`; null when none is pending. */
  scheduled(verb: string): number | null;
  /** Appends an entry to the call's timeline (written in the background, in order). */
  queueTimeline(entry: TimelineEntry): void;
}
