export { GatewayClient, TERMINAL } from './gateway-client';
export type { ApiMessage, CreatedProject, HttpAnswer } from './gateway-client';
export { SmscControl } from './smsc-control';
export type { SmscRule } from './smsc-control';
export { CallbackReceiver } from './callback-receiver';
export type { ReceivedCallback } from './callback-receiver';
export { ScratchDatabase } from './scratch-db';
