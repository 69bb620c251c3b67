/** Wires the SMPP server, scenario book, message log and control API together. */
import { ControlApi } from './control-api';
import type { SimulatorConfig } from './config';
import type { Logger } from '@gw/sim-kit';
import { MessageLog } from './message-log';
import { ScenarioBook } from './scenarios';
import { SmscServer } from './smsc-server';

/** A running simulator. */
export interface RunningSimulator {
  /** Actual SMPP port (useful when configured as 0). */
  smppPort: number;
  /** Actual control API port. */
  controlPort: number;
  smsc: SmscServer;
  scenarios: ScenarioBook;
  messages: MessageLog;
  /** Stops both listeners, drops sessions and cancels pending receipts. */
  stop(): Promise<void>;
}

/**
 * Starts the SMPP listener, then the control API. SMSC_SYSTEM_ID's account comes first (the default
 * MO target), then SMSC_ACCOUNTS in order.
 * @throws the listen error of either port; nothing is left listening in that case.
 */
export async function startSimulator(config: SimulatorConfig, logger: Logger): Promise<RunningSimulator> {
  const scenarios = new ScenarioBook(config.scenarios);
  const messages = new MessageLog();
  const smsc = new SmscServer({
    accounts: [{ systemId: config.systemId, password: config.password }, ...config.accounts],
    maxSubmitsPerSecondPerBind: config.maxSubmitsPerSecondPerBind,
    scenarios,
    messages,
    logger,
  });
  const api = new ControlApi({ smsc, scenarios, messages, logger });
  const smppPort = await smsc.listen(config.smppPort, config.host);
  let controlPort: number;
  try {
    controlPort = await api.listen(config.controlPort, config.host);
  } catch (err) {
    await smsc.close();
    throw err;
  }
  logger.log('info', 'started', {
    host: config.host,
    smppPort,
    controlPort,
    systemIds: [config.systemId, ...config.accounts.map((a) => a.systemId)],
    maxSubmitsPerSecondPerBind: config.maxSubmitsPerSecondPerBind,
    rules: config.scenarios.rules.length,
  });
  return {
    smppPort,
    controlPort,
    smsc,
    scenarios,
    messages,
    async stop() {
      await Promise.all([api.close(), smsc.close()]);
      logger.log('info', 'stopped');
    },
  };
}
