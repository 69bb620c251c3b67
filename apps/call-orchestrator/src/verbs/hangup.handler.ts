import { HUNGUP_RESULT, type VerbHandler } from './verb-handler';

/** `hangup`: ARI `DELETE /channels/{id}?reason=` on the call's channel; the flow has ended. */
export const hangupHandler: VerbHandler<'hangup'> = {
  kind: 'hangup',
  async execute(s, c, deps) {
    s.scheduled('hangup');
    await deps.control.hangup(s.channelId, c.reason);
    return HUNGUP_RESULT;
  },
};
