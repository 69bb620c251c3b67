export type { SubmitRequest, SubmitResult, DeliveryReport, InboundSms } from './sms-connector';
export { NotSubmittedError, ConnectorSettingsError, CarrierCallbackError } from './carrier';
export type {
  CarrierAdapter,
  CarrierKind,
  CarrierLog,
  CarrierWebhook,
  CallbackFields,
  ConnectorIdentity,
  ReceiptSink,
  SecretResolver,
} from './carrier';
export { CARRIER_KINDS, carrierKind } from './carrier-kinds';
export { parseSettingsWith, secretRef, resolveSecret, secretResolver } from './settings';
export { JasminHttpConnector, jasminSendForm, classifyJasminResponse } from './jasmin/jasmin-http.connector';
export type { JasminHttpOptions } from './jasmin/jasmin-http.connector';
export { parseJasminDlr, parseJasminMo } from './jasmin/jasmin-callbacks';
export { kannelKind } from './kannel/kannel.kind';
export type { KannelSettings } from './kannel/kannel.kind';
export {
  KannelHttpConnector,
  kannelSendsmsQuery,
  kannelDlrUrl,
  classifyKannelResponse,
  KANNEL_DLR_MASK,
  KANNEL_DLR_ESCAPES,
} from './kannel/kannel-http.connector';
export type { KannelHttpOptions } from './kannel/kannel-http.connector';
export { parseKannelDlr, parseKannelMo } from './kannel/kannel-callbacks';
export { dlrCallbackUrl, verifyDlrToken } from './callback-url';
export { smppKind } from './smpp/smpp.kind';
export type { SmppSettings } from './smpp/smpp.kind';
export { SmppConnector, THROTTLE_PAUSE_MS } from './smpp/smpp.connector';
export type { SmppConnectorDeps } from './smpp/smpp.connector';
export { parseSmppReceipt, parseReceiptText } from './smpp/receipt';
export { classifySubmitStatus } from './smpp/command-status';
export { seededRandom } from './smpp/backoff';
