export type { SmsConnector, SubmitRequest, SubmitResult, DeliveryReport, InboundSms } from './sms-connector';
export { JasminHttpConnector, jasminSendForm, classifyJasminResponse } from './jasmin/jasmin-http.connector';
export type { JasminHttpOptions } from './jasmin/jasmin-http.connector';
export { parseJasminDlr, parseJasminMo, JasminCallbackError } from './jasmin/jasmin-callbacks';
export type { JasminDlrFields } from './jasmin/jasmin-callbacks';
