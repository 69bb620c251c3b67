import * as smpp from 'smpp';
import type { PDU, Session } from 'smpp';
import { silentLogger } from '@gw/sim-kit';
import { parseScenarioSet } from '../../smsc-sim/src/scenarios';
import { type RunningSimulator, startSimulator } from '../../smsc-sim/src/simulator';
import { SmscControl } from './smsc-control';

describe('SmscControl against the SMSC simulator with several ESME accounts', () => {
  let sim: RunningSimulator;
  let control: SmscControl;
  const sessions: Session[] = [];

  /** A transceiver bind of `systemId` that acknowledges and keeps every deliver_sm. */
  async function bind(systemId: string, password: string): Promise<{ session: Session; delivered: PDU[] }> {
    const delivered: PDU[] = [];
    const session = await new Promise<Session>((resolve, reject) => {
      const s = smpp.connect({ host: '127.0.0.1', port: sim.smppPort }, () => resolve(s));
      s.once('error', reject);
    });
    sessions.push(session);
    session.on('deliver_sm', (pdu: PDU) => {
      delivered.push(pdu);
      session.send(pdu.response());
    });
    const resp = await new Promise<PDU>((resolve) => session.bind_transceiver({ system_id: systemId, password }, resolve));
    expect(resp.command_status).toBe(0);
    return { session, delivered };
  }

  function submit(session: Session, destination: string): Promise<PDU> {
    return new Promise((resolve) =>
      session.submit_sm({ source_addr: 'GW', destination_addr: destination, registered_delivery: 0, short_message: 'hi' }, resolve),
    );
  }

  beforeAll(async () => {
    sim = await startSimulator(
      {
        host: '127.0.0.1',
        smppPort: 0,
        controlPort: 0,
        systemId: 'jasmin',
        password: 'jpw',
        accounts: [{ systemId: 'kannel', password: 'kpw' }],
        maxSubmitsPerSecondPerBind: 0,
        scenarios: parseScenarioSet({ default: { outcome: 'no_receipt' } }),
        debug: false,
        warnings: [],
      },
      silentLogger,
    );
    control = new SmscControl(`http://127.0.0.1:${sim.controlPort}`);
  });

  afterAll(async () => {
    for (const s of sessions) s.destroy();
    await sim.stop();
  });

  it('filters messages by system_id, routes MO by system_id, and sets and resets the rate limit', async () => {
    const jasmin = await bind('jasmin', 'jpw');
    const kannel = await bind('kannel', 'kpw');
    await submit(jasmin.session, '+15550301');
    await submit(kannel.session, '+15550301');
    await submit(kannel.session, '+15550302');

    expect((await control.messages(undefined, { systemId: 'kannel' })).map((m) => m.destination)).toEqual(['+15550301', '+15550302']);
    expect((await control.messages('+15550301', { systemId: 'jasmin' })).map((m) => m.systemId)).toEqual(['jasmin']);
    expect(await control.messages('+15550301')).toHaveLength(2);

    await control.sendMo('+4915100000', '12345', 'to kannel', { systemId: 'kannel' });
    await control.sendMo('+4915100000', '12345', 'to jasmin');
    await expect(control.sendMo('1', '2', 'x', { systemId: 'nobody' })).rejects.toThrow(/400/);
    const stats = await control.stats();
    expect(stats.accounts['kannel']).toEqual({ submits: 2, submitErrors: 0, throttled: 0, receiptsSent: 0, moSent: 1, bound: 1 });
    expect(stats.accounts['jasmin']).toMatchObject({ submits: 1, moSent: 1, bound: 1 });

    expect(await control.setLimits({ maxSubmitsPerSecondPerBind: 1 })).toEqual({ maxSubmitsPerSecondPerBind: 1 });
    expect(await control.limits()).toEqual({ maxSubmitsPerSecondPerBind: 1 });
    expect((await submit(jasmin.session, '+15550303')).command_status).toBe(0);
    expect((await submit(jasmin.session, '+15550303')).command_status).toBe(0x58);
    expect((await control.messages('+15550303')).map((m) => m.outcome)).toEqual(['no_receipt', 'throttled']);
    expect(await control.resetLimits()).toEqual({ maxSubmitsPerSecondPerBind: 0 });
  });
});
