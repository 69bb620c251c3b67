/**
 * One MT message to hand to a carrier. `validityPeriodS` in seconds. `dlrUrl` is where an HTTP
 * carrier sends its receipts: the gateway's `/webhooks/{kind}/dlr` with `msg`, `conn` and `token`
 * already in its query (an adapter may add its carrier's own placeholders); bound carriers ignore it.
 */
export interface SubmitRequest {
  messageId: string;
  to: string;
  from: string;
  body: string;
  encoding: 'GSM-7' | 'UCS-2';
  validityPeriodS: number | null;
  dlrUrl: string;
}

/**
 * The carrier took the message. `providerMessageId` correlates its delivery report (for a message
 * sent in several submit_sm parts: the part that asked for the receipt); `partIds` lists every
 * part's id when there were several. `smscAccepted` is true when the answer is the SMSC's own
 * (a direct bind's submit_sm_resp ESME_ROK, so the message is `sent`); HTTP carriers answer for
 * themselves and report the SMSC's answer later in a DLR.
 */
export interface SubmitResult {
  providerMessageId: string;
  partIds?: string[];
  smscAccepted?: boolean;
}

/** Normalized delivery report: the gateway status it maps to, and the carrier's words verbatim. */
export interface DeliveryReport {
  providerMessageId: string;
  status: 'sent' | 'failed' | 'delivered' | 'undelivered';
  carrierStatus: string;
  carrierCode: string | null;
  description: string;
}

/** Normalized inbound SMS (MO). `to`/`from` are E.164 when the carrier gave digits. */
export interface InboundSms {
  providerMessageId: string;
  from: string;
  to: string;
  text: string;
}
