import { ConnectorSettingsError } from '../carrier';
import { smppKind } from './smpp.kind';

const minimal = { host: 'smsc.example.net', port: 2775, system_id: 'gateway', password_ref: 'env:SMPP_PASSWORD' };

describe('smppKind settings', () => {
  it('fills the defaults', () => {
    expect(smppKind.parseSettings(minimal)).toEqual({
      ...minimal,
      system_type: '',
      bind_mode: 'transceiver',
      binds: 1,
      window: 50,
      enquire_link_s: 30,
      response_timeout_ms: 10_000,
      reconnect_min_ms: 1000,
      reconnect_max_ms: 30_000,
      concatenation: 'udh',
      connect_timeout_ms: 5000,
    });
  });

  it.each([
    [{ system_id: 'a'.repeat(16) }, 'settings.system_id'],
    [{ password_ref: 'plain-password' }, 'settings.password_ref'],
    [{ binds: 11 }, 'settings.binds'],
    [{ binds: 0 }, 'settings.binds'],
    [{ window: 1001 }, 'settings.window'],
    [{ bind_mode: 'receiver' }, 'settings.bind_mode'],
    [{ concatenation: 'sar' }, 'settings.concatenation'],
    [{ port: 0 }, 'settings.port'],
    [{ reconnect_min_ms: 5000, reconnect_max_ms: 1000 }, 'settings.reconnect_max_ms'],
    [{ password: 'secret' }, 'settings'],
  ])('rejects %j naming %s', (over, field) => {
    let err: unknown;
    try {
      smppKind.parseSettings({ ...minimal, ...over });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConnectorSettingsError);
    expect((err as ConnectorSettingsError).field).toBe(field);
  });

  it('resolves the password reference when creating, and the adapter refuses submits before any bind', async () => {
    const secrets = jest.fn(() => 'pw');
    const log = { info: jest.fn(), warn: jest.fn() };
    const adapter = smppKind.create({ id: 'conn_1', name: 'smpp-1', kind: 'smpp' }, smppKind.parseSettings(minimal), { secrets, log });
    expect(secrets).toHaveBeenCalledWith('env:SMPP_PASSWORD');
    await expect(
      adapter.submit({
        messageId: 'm',
        to: '+15550001',
        from: '+15550002',
        body: 'x',
        encoding: 'GSM-7',
        validityPeriodS: null,
        dlrUrl: '',
      }),
    ).rejects.toMatchObject({ name: 'NotSubmittedError' });
    await adapter.close(100);
    expect(JSON.stringify([...log.info.mock.calls, ...log.warn.mock.calls])).not.toContain('pw"');
  });
});
