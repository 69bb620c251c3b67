/**
 * Lets one start of a call run at a time. The two paths that start calls (a Kafka command and
 * reconciliation, both busy at boot) interleave at every await; a check made only before the
 * first await would let both through, and two sessions would originate the same channel (the
 * second gets ARI's 409 and fails a call that is in fact ringing).
 */
export class StartGate {
  private readonly starting = new Set<string>();

  /** `running(id)`: the call already has a session, so nothing must start it again. */
  constructor(private readonly running: (callId: string) => boolean) {}

  /** Runs `start` unless the call is running or being started; the gate opens again when `start` settles. */
  async once(callId: string, start: () => Promise<void>): Promise<void> {
    if (this.running(callId) || this.starting.has(callId)) return;
    this.starting.add(callId);
    try {
      await start();
    } finally {
      this.starting.delete(callId);
    }
  }
}
