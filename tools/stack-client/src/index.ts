export { CALL_TERMINAL, GatewayClient, TERMINAL } from './gateway-client';
export type { ApiCall, ApiMessage, CreatedProject, HttpAnswer, UsageTotals } from './gateway-client';
export { SmscControl } from './smsc-control';
export type { SmscRule } from './smsc-control';
export { CallbackReceiver } from './callback-receiver';
export type { ReceivedCallback } from './callback-receiver';
export { ScratchDatabase } from './scratch-db';
export { AriSimControl } from './ari-sim-control';
export type { AriSimRule, AriSimCall } from './ari-sim-control';
