/**
 * Q.850 hangup causes as Asterisk reports them (main/channel.c `causes[]`: the `cause_txt` of
 * ChannelDestroyed) and the `reason` words of DELETE /channels/{channelId} (channels.json hangup).
 */

/** Cause codes the simulator produces. */
export const Cause = {
  UNALLOCATED: 1,
  NO_ROUTE_DESTINATION: 3,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  /** AST_CAUSE_UNREGISTERED in Asterisk. */
  SUBSCRIBER_ABSENT: 20,
  CALL_REJECTED: 21,
  ANSWERED_ELSEWHERE: 26,
  INVALID_NUMBER_FORMAT: 28,
  NORMAL_UNSPECIFIED: 31,
  NORMAL_CIRCUIT_CONGESTION: 34,
  NETWORK_OUT_OF_ORDER: 38,
  BEARERCAPABILITY_NOTAVAIL: 58,
  INTERWORKING: 127,
} as const;

const TEXT: Record<number, string> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  3: 'No route to destination',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  20: 'Subscriber absent',
  21: 'Call Rejected',
  26: 'Answered elsewhere',
  27: 'Destination out of order',
  28: 'Invalid number format',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  41: 'Temporary failure',
  58: 'Bearer capability not available',
  127: 'Interworking, unspecified',
};

/** Asterisk's text for a cause code (ast_cause2str); "Unknown" for codes it has no text for. */
export function causeText(cause: number): string {
  return TEXT[cause] ?? 'Unknown';
}

/**
 * The Dial status ast_dial publishes for a channel that hung up before answer with `cause`
 * (main/dial.c ast_hangup_cause_to_dial_status): 17 BUSY, 34 CONGESTION, 3 (no route to
 * destination) and 20 (unregistered) CHANUNAVAIL, anything else NOANSWER.
 */
export function dialStatusForCause(cause: number): 'BUSY' | 'CONGESTION' | 'CHANUNAVAIL' | 'NOANSWER' {
  switch (cause) {
    case Cause.USER_BUSY:
      return 'BUSY';
    case Cause.NORMAL_CIRCUIT_CONGESTION:
      return 'CONGESTION';
    case Cause.NO_ROUTE_DESTINATION:
    case Cause.SUBSCRIBER_ABSENT:
      return 'CHANUNAVAIL';
    default:
      return 'NOANSWER';
  }
}

/** `reason` values of DELETE /channels/{channelId} and the cause each sets (resource_channels.c). */
export const HANGUP_REASONS: Record<string, number> = {
  normal: Cause.NORMAL_CLEARING,
  busy: Cause.USER_BUSY,
  congestion: Cause.NORMAL_CIRCUIT_CONGESTION,
  no_answer: Cause.NO_ANSWER,
  timeout: Cause.NO_USER_RESPONSE,
  rejected: Cause.CALL_REJECTED,
  unallocated: Cause.UNALLOCATED,
  normal_unspecified: Cause.NORMAL_UNSPECIFIED,
  number_incomplete: Cause.INVALID_NUMBER_FORMAT,
  codec_mismatch: Cause.BEARERCAPABILITY_NOTAVAIL,
  interworking: Cause.INTERWORKING,
  failure: Cause.NETWORK_OUT_OF_ORDER,
  answered_elsewhere: Cause.ANSWERED_ELSEWHERE,
};
