import { HUNGUP } from './session-io';
import { HUNGUP_RESULT, type VerbHandler } from './verb-handler';

/**
 * `pause`: silence for `ms`. A command started before (a call resumed after a restart, see
 * `SessionIo.commandStartedAt`) only waits what is left of it, nothing once that has elapsed.
 */
export const pauseHandler: VerbHandler<'pause'> = {
  kind: 'pause',
  async execute(s, c, deps) {
    const waitMs = s.commandStartedAt === null ? c.ms : Math.max(0, c.ms - (deps.now() - s.commandStartedAt));
    s.scheduled('pause');
    return (await s.waitFor(() => false, waitMs)) === HUNGUP ? HUNGUP_RESULT : { kind: 'done' };
  },
};
