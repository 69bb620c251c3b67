import { dialTargetRefusal } from '@gw/calls';
import { HUNGUP } from './session-io';
import { HUNGUP_RESULT, type VerbHandler } from './verb-handler';

/**
 * `dial`: first checks the target against the project's dial allowlist as it is now (@gw/calls
 * dialTargetRefusal: the flow may come from a fetch, or the allowlist may have changed since the
 * flow was accepted); a refused target is a `failed` dial with a `dial.refused` timeline note giving
 * the reason, and nothing is originated. Then originates a second leg `<callId>.leg<n>` (ARI `POST /channels`, ring time `timeoutMs`
 * rounded up to s) and, once it enters Stasis, bridges it with the call in a mixing bridge
 * `<callId>.br<n>` (ARI `bridges`) until either side hangs up or `timeLimitMs` passes. Results:
 * `completed` (with the bridged `durationS`), `busy` (Q.850 cause 17), `no-answer` (18, 19),
 * `failed` (other causes, or ARI refused the originate), or `hungup`.
 */
export const dialHandler: VerbHandler<'dial'> = {
  kind: 'dial',
  async execute(s, c, deps) {
    const refusal = dialTargetRefusal(await deps.store.dialAllowlist(s.projectId), c.target);
    if (refusal !== null) {
      s.queueTimeline({ kind: 'note', event: 'dial.refused', detail: { target: c.target, reason: refusal } });
      return { kind: 'dialed', status: 'failed' };
    }
    const n = s.nextLegIndex();
    const leg = `${s.callId}.leg${n}`;
    const bridge = `${s.callId}.br${n}`;
    const answered = s.waitFor((e) => (e.type === 'StasisStart' || e.type === 'ChannelDestroyed') && e.channel.id === leg);
    s.scheduled('dial');
    try {
      await deps.control.originate({
        channelId: leg,
        endpoint: deps.trunkEndpoint(c.target),
        callerId: c.callerId ?? s.from,
        timeoutS: Math.ceil(c.timeoutMs / 1000),
        appArgs: `dial,${s.callId}`,
      });
    } catch (err) {
      s.queueTimeline({
        kind: 'note',
        event: 'dial.originate_failed',
        detail: { reason: err instanceof Error ? err.message : String(err) },
      });
      return { kind: 'dialed', status: 'failed' };
    }
    const first = await answered;
    if (first === HUNGUP || first === 'timeout') {
      await deps.control.hangup(leg, 'normal');
      return first === HUNGUP ? HUNGUP_RESULT : { kind: 'dialed', status: 'no-answer' };
    }
    if (first.type === 'ChannelDestroyed') {
      const status = first.cause === 17 ? 'busy' : first.cause === 19 || first.cause === 18 ? 'no-answer' : 'failed';
      return { kind: 'dialed', status };
    }
    const startedAt = deps.now();
    const legGone = s.waitFor(
      (e) => (e.type === 'ChannelDestroyed' || e.type === 'StasisEnd') && e.channel.id === leg,
      c.timeLimitMs ?? undefined,
    );
    await deps.control.createBridge(bridge);
    await deps.control.addToBridge(bridge, [s.channelId, leg]);
    s.queueTimeline({ kind: 'note', event: 'dial.bridged', detail: { leg, bridge } });
    const end = await legGone;
    if (end !== HUNGUP && end !== 'timeout') s.markResult();
    await deps.control.hangup(leg, 'normal');
    await deps.control.destroyBridge(bridge);
    if (end === HUNGUP) return HUNGUP_RESULT;
    return { kind: 'dialed', status: 'completed', durationS: Math.round((deps.now() - startedAt) / 1000) };
  },
};
