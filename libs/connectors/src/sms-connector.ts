/** One MT message to hand to an SMS gateway. `validityPeriodS` in seconds; `dlrUrl` receives delivery reports. */
export interface SubmitRequest {
  messageId: string;
  to: string;
  from: string;
  body: string;
  encoding: 'GSM-7' | 'UCS-2';
  validityPeriodS: number | null;
  dlrUrl: string;
}

/** The gateway accepted the message; `providerMessageId` correlates its delivery reports. */
export interface SubmitResult {
  providerMessageId: string;
}

/**
 * A carrier or SMS gateway that takes MT messages. Implementations classify failures:
 * RetryableError (timeouts, refused connections, 5xx, throttling) or PermanentError (the rest).
 */
export interface SmsConnector {
  readonly name: string;
  submit(req: SubmitRequest): Promise<SubmitResult>;
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
